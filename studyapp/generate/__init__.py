"""The card generator's review screen for instructors."""
