"""The instructor's view of the class: mastery grid, per-card statistics, drill-down, CSV export."""
