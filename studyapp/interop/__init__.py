"""Decks that travel: CSV/TSV and Anki packages in and out, and deck files written back.

Pure code: no Flask, no database. Readers turn bytes into `ImportNote`s (and per-row problems);
writers turn plain `ExportNote`s into bytes or text. `services/transfer.py` does the rest.
"""
