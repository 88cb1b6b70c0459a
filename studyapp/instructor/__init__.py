"""The instructor area: decks, cards, imports and exports (blueprint in routes.py, CLI in cli.py)."""
