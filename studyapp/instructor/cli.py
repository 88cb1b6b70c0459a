"""Decks in and out on the command line: export-deck, import-deck, dump-deck (one transaction each: register_cli)."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import click
from sqlalchemy import select

from ..cli_progress import step
from ..db_setup import WRITE_INTENT, begin_write
from ..domain.deckfile import DeckFileError, parse_file, parse_text
from ..extensions import db
from ..interop.common import ImportFileError
from ..models import Card, Deck, utcnow
from ..services import decks, transfer

BINARY = {"apkg"}


def _decks(deck_id: int | None, all_decks: bool) -> list[Deck]:
    if (deck_id is None) == (not all_decks):
        raise click.UsageError("give a DECK_ID or --all (not both)")
    query = select(Deck).order_by(Deck.id)
    if not all_decks:
        query = query.where(Deck.id == deck_id)
    decks = list(db.session.scalars(query))
    if not decks:
        raise click.ClickException(f"no deck with id {deck_id}" if deck_id is not None else "there are no decks")
    return decks


def _json(decks: list[Deck]) -> str:
    records = []
    for deck in decks:
        cards = db.session.scalars(select(Card).where(Card.deck_id == deck.id, Card.status == "active")
                                   .order_by(Card.position))
        records.extend(transfer.card_record(card, deck) for card in cards)
    return json.dumps(records, ensure_ascii=False, indent=2) + "\n"


def _one(deck: Deck, fmt: str) -> str | bytes:
    return transfer.export_csv(db.session, deck) if fmt == "csv" else transfer.export_apkg(db.session, deck, utcnow())


@click.command("export-deck")
@click.argument("deck_id", required=False, type=int)
@click.option("--all", "all_decks", is_flag=True, help="Export every deck.")
@click.option("--format", "fmt", type=click.Choice(["json", "csv", "apkg"]), default="json", show_default=True)
@click.option("-o", "--output", type=click.Path(writable=True, path_type=Path),
              help="The file to write (with --all and csv/apkg: a folder, one file per deck).")
def export_deck(deck_id: int | None, all_decks: bool, fmt: str, output: Path | None) -> None:
    """Export a deck's active cards (or --all decks): JSON array, Anki-importable CSV, or Anki .apkg."""
    decks = _decks(deck_id, all_decks)
    if fmt == "json":
        text = _json(decks)
        if output:
            output.write_text(text, encoding="utf-8")
            click.echo(f"Wrote {len(json.loads(text))} cards to {output}", err=True)
        else:
            click.echo(text, nl=False)
        return
    if fmt in BINARY and output is None:
        raise click.UsageError("an .apkg is binary: give -o FILE")
    if all_decks and output is not None:
        output.mkdir(parents=True, exist_ok=True)
        targets = [(deck, output / transfer.export_filename(deck, f".{fmt}")) for deck in decks]
    else:
        targets = [(deck, output) for deck in decks]
    for deck, path in targets:
        data = _one(deck, fmt)
        if path is None:
            click.echo(data, nl=False)
        elif isinstance(data, bytes):
            path.write_bytes(data)
        else:
            path.write_text(data, encoding="utf-8")
        if path is not None:
            click.echo(f"Wrote deck {deck.id} ({deck.slug}) to {path}", err=True)


def _fail(lines: list[str]) -> None:
    click.echo("Nothing was imported. Fix these problems first:", err=True)
    for line in lines:
        click.echo(f"  {line}", err=True)
    sys.exit(1)


@click.command("import-deck")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--deck", "deck_id", type=int, help="Add to this deck (default: a new deck; a .toml names its own).")
def import_deck(file: Path, deck_id: int | None) -> None:
    """Import a CSV/TSV, an Anki .apkg or a deck .toml. All or nothing: any problem and nothing is written.

    The file is read and checked before the first query, so the database is locked only while writing.
    """
    now = utcnow()
    spec = parsed = None
    if file.suffix.lower() == ".toml":
        try:
            spec = parse_file(file)
        except DeckFileError as exc:
            _fail([str(p) for p in exc.problems])
    else:
        try:
            with step(f"Reading {file.name}"):
                parsed = transfer.parse_upload(file.name, file.read_bytes())
        except ImportFileError as exc:
            _fail([str(p) for p in exc.problems])
        if parsed.rejected:
            _fail([str(p) for p in parsed.rejected])
    deck = None
    WRITE_INTENT.set(False)         # read and plan first; begin_write() takes the lock for the write
    if deck_id is not None:
        deck = db.session.get(Deck, deck_id)
        if deck is None:
            raise click.ClickException(f"no deck with id {deck_id}")
    if spec is not None:
        if deck is not None and deck.slug != spec.slug:
            raise click.ClickException(f"{file} is deck '{spec.slug}', not deck {deck.id} ('{deck.slug}')")
        begin_write()
        click.echo(transfer.import_deck_file(db.session, spec, None, now).summary())
        return
    name = (parsed.deck_name or file.stem)[:200]

    def lock_then_create() -> Deck | None:
        begin_write()
        return decks.create_deck(db.session, name, "", now) if deck is None else None

    # A new deck is planned as an empty one (unsaved) and created once the lock is taken.
    with step(f"Checking and writing {len(parsed.notes):,} notes"):
        report = transfer.apply_import(db.session, deck or Deck(name=name), parsed, None, now,
                                       before_write=lock_then_create)
    deck = report.deck
    click.echo(f"{deck.slug} (deck {deck.id}): {report.summary()}")


@click.command("dump-deck")
@click.argument("deck_id", type=int)
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True, path_type=Path))
def dump_deck(deck_id: int, output: Path | None) -> None:
    """Write a deck back in the cards/ TOML format (sections, guides and every card field)."""
    deck = db.session.get(Deck, deck_id)
    if deck is None:
        raise click.ClickException(f"no deck with id {deck_id}")
    text = transfer.dump_toml(db.session, deck)
    try:
        parse_text(text, str(output or "<dump>"))
    except DeckFileError as exc:
        click.echo("Warning: `flask load-cards` would refuse this file until these are fixed:", err=True)
        for problem in exc.problems:
            click.echo(f"  {problem}", err=True)
    if output:
        output.write_text(text, encoding="utf-8")
        click.echo(f"Wrote deck {deck.id} ({deck.slug}) to {output}", err=True)
    else:
        click.echo(text, nl=False)


COMMANDS = [export_deck, import_deck, dump_deck]
