"""`flask seed-demo`: a simulated class for demonstrations and benchmarks."""
from __future__ import annotations

import os
import time

import click
from sqlalchemy import select

from ..cli_progress import progress
from ..extensions import db
from ..models import Deck, utcnow
from ..services import demo


@click.command("seed-demo")
@click.option("--learners", type=click.IntRange(1, 100_000), default=30, show_default=True,
              help="How many demo learners to create.")
@click.option("--days", type=click.IntRange(1, 3650), default=60, show_default=True,
              help="Days of study history, ending today.")
@click.option("--seed", type=int, default=2026, show_default=True, help="Same seed, same class.")
@click.option("--deck", "deck_id", type=int, help="Deck id to study (default: the first deck).")
@click.option("--replace", is_flag=True, help="Delete existing demo learners (and their history) first.")
@click.option("--jobs", type=click.IntRange(1, 64), default=os.cpu_count() or 1, show_default="CPU count",
              help="Processes simulating learners in parallel.")
def seed_demo(learners: int, days: int, seed: int, deck_id: int | None, replace: bool, jobs: int) -> None:
    """Fill the database with simulated learners (demo-learner-0001, ...) and their review histories."""
    query = select(Deck).order_by(Deck.id)
    if deck_id is not None:
        query = query.where(Deck.id == deck_id)
    deck = db.session.scalar(query.limit(1))
    if deck is None:
        raise click.ClickException(f"no deck with id {deck_id}" if deck_id is not None
                                   else "no deck yet: load one first with `flask load-cards`")
    started = time.perf_counter()
    try:
        with progress(learners, "Simulating learners") as bar:
            report = demo.seed_demo(db.session, deck, learners, days, utcnow(), seed=seed, replace=replace,
                                    jobs=jobs, on_progress=bar.update)
    except demo.DemoExists as exc:
        db.session.rollback()
        raise click.ClickException(f"{exc}. Run again with --replace to delete them (and their history) "
                                   "and seed a new class.") from exc
    except ValueError as exc:
        db.session.rollback()
        raise click.ClickException(str(exc)) from exc
    seconds = time.perf_counter() - started
    if report.removed:
        click.echo(f"Removed {report.removed} earlier demo learners.")
    click.echo(f"Seeded {report.learners} demo learners studying '{deck.name}' over {days} days: "
               f"{report.answers:,} answers, {report.card_states:,} card states, {report.attempts:,} quiz attempts "
               f"in {seconds:.1f} s.")
    click.echo(f"They log in as {demo.username(0)} ... {demo.username(learners - 1)} with the password "
               f"'{demo.PASSWORD}'.")


COMMANDS = [seed_demo]
