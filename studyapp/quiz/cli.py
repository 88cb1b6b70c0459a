"""`flask make-quiz`: print a deck's quiz as JSON, or as text to hand out with its answer key (the same seed
always prints the same quiz)."""
from __future__ import annotations

import json
import secrets

import click
from sqlalchemy import select

from ..domain import cardtext
from ..domain.quizgen import QUESTION_TYPES
from ..extensions import db
from ..models import Deck, Section
from ..services import quiz as quizzes

FIRST_KEYS = ("type", "prompt", "options", "answer", "card_id", "card_db_id")


def _types(value: str | None) -> list[str] | None:
    if not value:
        return None
    chosen = [t.strip() for t in value.split(",") if t.strip()]
    unknown = sorted(set(chosen) - set(QUESTION_TYPES))
    if unknown:
        raise click.BadParameter(f"unknown types {unknown}; choose from {', '.join(QUESTION_TYPES)}",
                                 param_hint="--types")
    return chosen


@click.command("make-quiz")
@click.argument("deck_id", type=int)
@click.option("--seed", type=click.IntRange(min=0), help="Random seed (default: a fresh one, shown on stderr).")
@click.option("--count", type=click.IntRange(min=0), default=10, show_default=True,
              help="Number of questions; 0 for one per card.")
@click.option("--section", "section_slug", help="Only this section (its id in the deck file).")
@click.option("--types", "types_text", help=f"Comma-separated question types ({', '.join(QUESTION_TYPES)}).")
@click.option("--format", "fmt", type=click.Choice(["json", "text"]), default="json", show_default=True,
              help="json: the questions as data; text: numbered questions to print, then an answer key.")
def make_quiz_cmd(deck_id: int, seed: int | None, count: int, section_slug: str | None, types_text: str | None,
                  fmt: str) -> None:
    """Print a quiz on DECK_ID: a JSON array of questions (`card_id` is the card's stable key), or text."""
    deck = db.session.get(Deck, deck_id)
    if deck is None:
        raise click.ClickException(f"no deck with id {deck_id}")
    section = None
    if section_slug:
        section = db.session.scalar(select(Section).where(Section.deck_id == deck.id, Section.slug == section_slug))
        if section is None:
            raise click.ClickException(f"deck {deck_id} has no section '{section_slug}'")
    if seed is None:
        seed = secrets.randbelow(quizzes.SEED_LIMIT)
        click.echo(f"seed: {seed}", err=True)
    build = quizzes.plan_questions(db.session, deck, section, seed, count or None, _types(types_text))
    if build.message:  # fewer questions of the chosen types than asked: say so, print nothing
        raise click.ClickException(build.message)
    questions = quizzes.frozen_questions(db.session, deck, section, build)
    if fmt == "text":
        click.echo(as_text(f"{deck.name}{f' · {section.title}' if section else ''}: quiz {seed}", questions))
        return
    ordered = [{**{k: q[k] for k in FIRST_KEYS}, **{k: v for k, v in q.items() if k not in FIRST_KEYS}}
               for q in questions]
    click.echo(json.dumps(ordered, ensure_ascii=False, indent=2))


CHOICE = ("multiple_choice", "who_said", "reason")


def as_text(title: str, questions: list[dict]) -> str:
    """The quiz as plain text to print: numbered questions (context line, options A-D, a line to write on),
    then the answer key."""
    lines = [title, "", "Name: ____________________   Date: __________", ""]
    for n, q in enumerate(questions, 1):
        if q.get("context"):
            lines.append(f"{n}. [{q['context']}]")
            lines.append(f"   {cardtext.strip_markup(q['prompt'])}")
        else:
            lines.append(f"{n}. {cardtext.strip_markup(q['prompt'])}")
        if q["type"] in CHOICE:
            lines += [f"   {'ABCDEFGH'[i]}. {option}" for i, option in enumerate(q["options"])]
        elif q["type"] == "true_false":
            lines.append("   True / False")
        else:
            lines.append("   Answer: ______________________________")
        lines.append("")
    lines += ["\f", f"Answer key: {title}", ""]
    for n, q in enumerate(questions, 1):
        letter = f"{'ABCDEFGH'[q['options'].index(q['answer'])]}. " if q["type"] in CHOICE else ""
        card = f" (the card's answer: {q['card_answer']})" if q["type"] == "true_false" and q["answer"] == "False" else ""
        lines.append(f"{n}. {letter}{q['answer']}{card}")
    return "\n".join(lines)


COMMANDS = [make_quiz_cmd]
