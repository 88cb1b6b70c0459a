"""`flask reset-password USER`: a temporary password that must be changed at the next login."""
from __future__ import annotations

import click

from ..extensions import db
from ..services import users


@click.command("reset-password")
@click.argument("username")
def reset_password(username: str) -> None:
    """Give USERNAME a temporary password (printed once) and end all their logins.

    At the next login they must choose a new password before anything else opens."""
    user = users.find_user(db.session, username)
    if user is None:
        raise click.ClickException(f"no user named '{username}'")
    temporary = users.reset_password(db.session, user)
    click.echo(f"Temporary password for '{user.username}': {temporary}")
    click.echo("They were logged out everywhere and must choose a new password at their next login.")


COMMANDS = [reset_password]
