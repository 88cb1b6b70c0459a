"""`flask create-class NAME --instructor USER [--deck ID ...] [--exam-date YYYY-MM-DD]`: prints the join code."""
from __future__ import annotations

from datetime import date

import click

from ..extensions import db
from ..models import utcnow
from ..services import classes as class_service
from ..services import users as user_service


@click.command("create-class")
@click.argument("name")
@click.option("--instructor", "username", required=True, help="The instructor who owns the class.")
@click.option("--deck", "deck_ids", type=int, multiple=True, help="A deck the class studies (repeat for more).")
@click.option("--exam-date", type=click.DateTime(formats=["%Y-%m-%d"]), help="The exam day (09:00 in the "
              "instructor's time zone).")
@click.option("--minutes", "daily_minutes", type=click.IntRange(1, 600), help="Daily study budget in minutes.")
def create_class(name: str, username: str, deck_ids: tuple[int, ...], exam_date, daily_minutes: int | None) -> None:
    """Create a class and print its join code."""
    user = user_service.find_user(db.session, username)
    if user is None or not user.is_instructor:
        raise click.ClickException(f"no instructor named '{username}'")
    day: date | None = exam_date.date() if exam_date else None
    data = class_service.ClassInput(name=name, deck_ids=deck_ids,
                                    exam_at=class_service.exam_datetime(day, None, user.timezone),
                                    daily_minutes=daily_minutes)
    try:
        klass = class_service.create_class(db.session, user, data, utcnow())
    except class_service.ClassError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(klass.join_code)


@click.command("refit-learners")
@click.option("--min-new", type=click.IntRange(1), default=None,
              help="Refit a learner after this many new reviews since their last fit (default 100).")
@click.option("--all", "everyone", is_flag=True, help="Every learner, not only those with a class exam ahead.")
def refit_learners(min_new: int | None, everyone: bool) -> None:
    """Refit FSRS for the learners planning toward an exam who have reviewed enough since their last fit.

    Meant for cron (e.g. nightly); the study loop never fits. A fit is kept only where it predicts held-out
    reviews better (as `flask optimize-scheduler`)."""
    from ..services import examplan, fitting

    now = utcnow()
    due = examplan.learners_due_for_refit(db.session, now, min_new or examplan.REFIT_AFTER, everyone)
    kept = 0
    for user, new_reviews in due:
        fit = fitting.fit_and_store(db.session, user, now)
        kept += fit.accepted
        click.echo(f"{user.username}: {new_reviews} new reviews, {fit.n_reviews} in all, "
                   f"{'kept' if fit.accepted else 'not used'} ({fit.note})")
    click.echo(f"Refitted {len(due)} learner{'s' if len(due) != 1 else ''}, {kept} kept.")


COMMANDS = [create_class, refit_learners]
