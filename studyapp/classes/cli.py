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


COMMANDS = [create_class]
