"""Classes: instructors manage their classes (decks, exam date, daily budget, join code); learners join one."""
