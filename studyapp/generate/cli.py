"""`flask generate-cards`: the card generator's candidates for a text file, as JSON."""
from __future__ import annotations

import json
from pathlib import Path

import click

from ..domain import cardgen


@click.command("generate-cards")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["json"]), default="json", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True, path_type=Path))
def generate_cards(file: Path, fmt: str, output: Path | None) -> None:
    """Propose cards from FILE (plain text or Markdown): a JSON array of candidates, best first."""
    try:
        text = file.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise click.ClickException(f"{file} is not UTF-8 text") from exc
    records = [candidate.to_dict() for candidate in cardgen.generate(text)]
    payload = json.dumps(records, ensure_ascii=False, indent=2)
    if output:
        output.write_text(payload + "\n", encoding="utf-8")
        click.echo(f"Wrote {len(records)} candidates to {output}", err=True)
    else:
        click.echo(payload)


COMMANDS = [generate_cards]
