"""Command-line tools: thin click commands over the services.

Each command is one transaction: `register_cli` wraps every command in `db_setup.cli_transaction`, which
commits when the command returns and rolls back when it fails or exits; commands never commit.
"""
from __future__ import annotations

import sys
from pathlib import Path

import click
from flask import current_app
from sqlalchemy import select

from .cli_progress import progress
from .domain.deckfile import DeckFileError, load_directory, parse_file
from .extensions import db
from .models import User, utcnow
from .services import decks as deck_service
from .services import users as user_service

DEMO_USERS = (
    ("learner", "learner-demo", "learner"),
    ("instructor", "instructor-demo", "instructor"),
)


def _create_schema() -> None:
    """Bring the database to the newest schema with the Alembic migrations (data is kept)."""
    from flask_migrate import stamp, upgrade
    from sqlalchemy import inspect

    tables = set(inspect(db.engine).get_table_names())
    if "users" in tables and "alembic_version" not in tables:
        # Made by create_all (tests, early versions): add what is missing and mark it current.
        db.create_all()
        stamp()
        return
    upgrade()


@click.command("init-db")
def init_db() -> None:
    """Create the database tables (keeps existing data)."""
    _create_schema()
    click.echo(f"Database ready: {_db_label()}")


def _db_label() -> str:
    return db.engine.url.render_as_string(hide_password=True)


def _load(path: Path) -> list[deck_service.LoadReport]:
    specs = load_directory(path) if path.is_dir() else [parse_file(path)]
    now = utcnow()
    return [deck_service.load_deck(db.session, spec, now) for spec in specs]


def _load_or_exit(path: Path) -> list[deck_service.LoadReport]:
    """Load the deck files; on any problem, import nothing, list every problem and exit 1."""
    try:
        return _load(path)
    except DeckFileError as exc:
        click.echo("Nothing was imported. Fix these problems first:", err=True)
        for problem in exc.problems:
            click.echo(f"  {problem}", err=True)
        sys.exit(1)


@click.command("load-cards")
@click.argument("path", required=False, type=click.Path(exists=True, path_type=Path))
def load_cards(path: Path | None) -> None:
    """Load deck files (a file or a folder; default cards/). Idempotent; all or nothing."""
    reports = _load_or_exit(path or Path(current_app.config["CARDS_DIR"]))
    summaries = [report.summary() for report in reports]
    for summary in summaries:
        click.echo(summary)


@click.command("create-user")
@click.argument("username")
@click.option("--role", type=click.Choice(["learner", "instructor"]), default="learner", show_default=True)
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True,
              help="Prompted for when not given.")
@click.option("--timezone", default="UTC", show_default=True)
def create_user(username: str, role: str, password: str, timezone: str) -> None:
    """Create a learner or instructor account (the same username, time-zone and password rules as the form)."""
    for problems, hint in ((user_service.username_problems(username), "USERNAME"),
                           (user_service.timezone_problems(timezone), "--timezone"),
                           (user_service.password_problems(password, username), "--password")):
        if problems:
            raise click.BadParameter(" ".join(problems), param_hint=hint)
    try:
        user_service.create_user(db.session, username, password, role, utcnow(), timezone=timezone)
    except user_service.UserExists as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Created {role} '{username}'.")


@click.command("setup")
@click.option("--demo/--no-demo", default=True, help="Create the demo learner and instructor.")
def setup(demo: bool) -> None:
    """Create the database, load cards/, create demo accounts. Safe to run again: data is kept."""
    _create_schema()
    reports = _load_or_exit(Path(current_app.config["CARDS_DIR"]))
    created = []
    if demo:
        for username, password, role in DEMO_USERS:
            if user_service.find_user(db.session, username) is None:
                user_service.create_user(db.session, username, password, role, utcnow())
                created.append((username, password, role))
        _demo_class()
    accounts = db.session.scalar(select(db.func.count()).select_from(User))
    summaries = [report.summary() for report in reports]
    click.echo(f"Database: {_db_label()}")
    for summary in summaries:
        click.echo("Cards: " + summary)
    if created:
        click.echo("Demo accounts created (shown once):")
        for username, password, role in created:
            click.echo(f"  {role:<10} username: {username:<11} password: {password}")
    click.echo(f"{accounts} accounts in the database.")


def _demo_class() -> None:
    """The demo learner in the default class (every published deck, the article's included)."""
    from .services import classes as class_service

    learner = user_service.find_user(db.session, "learner")
    instructor = user_service.find_user(db.session, "instructor")
    class_service.ensure_default_class(db.session, instructor if instructor and instructor.is_instructor else None,
                                       [learner] if learner else [], utcnow())


@click.command("backup")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
def backup(path: Path) -> None:
    """Write a consistent copy of the SQLite database to PATH while the app keeps serving.

    Uses SQLite's online backup API, so readers and writers carry on during the copy. For
    PostgreSQL use pg_dump (see docs/deploy.md).
    """
    import sqlite3

    if db.engine.dialect.name != "sqlite":
        raise click.ClickException("flask backup copies SQLite databases; for PostgreSQL use pg_dump "
                                   "(docs/deploy.md shows how)")
    if path.exists():
        raise click.ClickException(f"{path} exists; choose a new file name")
    path.parent.mkdir(parents=True, exist_ok=True)
    raw = db.engine.raw_connection()
    try:
        target = sqlite3.connect(path)
        try:
            raw.driver_connection.backup(target, pages=1024)
            check = target.execute("PRAGMA integrity_check").fetchone()[0]
        finally:
            target.close()
    finally:
        raw.close()
    if check != "ok":
        raise click.ClickException(f"the copy failed its integrity check: {check}")
    click.echo(f"Backed up {_db_label()} to {path} ({path.stat().st_size:,} bytes, integrity ok)")


@click.command("optimize-scheduler")
@click.option("--learner", "username", help="Fit this learner only (default: app-wide, then every learner).")
def optimize_scheduler(username: str | None) -> None:
    """Fit FSRS parameters to review logs; keep them only where they predict held-out reviews better."""
    from .services import fitting

    now = utcnow()
    if username:
        user = user_service.find_user(db.session, username)
        if user is None:
            raise click.ClickException(f"no user named '{username}'")
        targets = [user]
    else:
        targets = [None] + list(db.session.scalars(select(User).where(User.role == "learner").order_by(User.id)))
    lines = []
    with progress(len(targets), "Fitting") as bar:
        for user in targets:
            fit = fitting.fit_and_store(db.session, user, now)
            who = user.username if user else "(app-wide)"
            verdict = "kept" if fit.accepted else "not used"
            gain = ""
            if fit.logloss_default and fit.logloss_fitted:
                gain = f", log loss {fit.logloss_default:.4f} -> {fit.logloss_fitted:.4f}"
            lines.append(f"{who}: {fit.n_reviews} reviews, {verdict}{gain} ({fit.note})")
            bar.update(1)
    for line in lines:
        click.echo(line)


COMMANDS = [init_db, load_cards, create_user, setup, backup, optimize_scheduler]
