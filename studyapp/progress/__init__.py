"""The learner's progress review: /progress, one page per card, suspending cards; `flask seed-demo`."""
