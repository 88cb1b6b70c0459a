"""studyapp: learn one article with spaced repetition and quizzes.

`create_app` reads like a table of contents: settings, extensions, blueprints, CLI, error pages.
"""
from __future__ import annotations

import importlib
import importlib.util
import os
from pathlib import Path

import click
from flask import Flask, has_request_context, request
from flask.sessions import SecureCookieSessionInterface
from werkzeug.routing import IntegerConverter

from . import settings

REPO_ROOT = Path(__file__).resolve().parent.parent
#: The largest id a route or form accepts (PostgreSQL INTEGER; SQLite's limit is 2^63 - 1).
MAX_ID = 2**31 - 1


class ConfigurationError(click.ClickException, RuntimeError):
    """A setting the app cannot start without. A `flask` command prints it as one line ("Error: ..."), not a
    traceback; gunicorn and tests see an exception as before."""


def create_app(test_config: dict | None = None) -> Flask:
    app = Flask(__name__, instance_relative_config=True, instance_path=str(REPO_ROOT / "instance"))
    configure(app, test_config)
    register_extensions(app)
    register_blueprints(app)
    register_templating(app)
    register_cli(app)
    register_error_handlers(app)
    return app


def configure(app: Flask, test_config: dict | None) -> None:
    app.config.from_mapping(settings.DEFAULTS)
    app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite:///" + os.path.join(app.instance_path, "studyapp.sqlite3")
    app.config["CARDS_DIR"] = str(REPO_ROOT / "cards")
    if test_config is None:
        app.config.from_pyfile("config.py", silent=True)
        app.config.from_mapping(settings.from_environment())
    else:
        app.config.from_mapping(settings.from_environment())
        app.config.from_mapping(test_config)
    if not (app.debug or app.testing) and not app.config.get("SECRET_KEY"):
        raise ConfigurationError(
            "No SECRET_KEY: run `make run` once (it writes instance/config.py) or set SECRET_KEY in the environment."
        )
    if app.config.get("PREFERRED_URL_SCHEME") == "https":
        app.config["SESSION_COOKIE_SECURE"] = True
        app.config["REMEMBER_COOKIE_SECURE"] = True
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        Path(app.instance_path).mkdir(parents=True, exist_ok=True)


class _SessionInterface(SecureCookieSessionInterface):
    """The session cookie is Secure whenever the request came over HTTPS (or the config says so)."""

    def get_cookie_secure(self, app: Flask) -> bool:
        return bool(app.config["SESSION_COOKIE_SECURE"]) or (has_request_context() and request.is_secure)


def register_extensions(app: Flask) -> None:
    app.session_interface = _SessionInterface()
    if app.config.get("TRUST_PROXY"):
        # Behind one reverse proxy (docs/deploy.md): trust its X-Forwarded-For/-Proto/-Host.
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1, x_host=1)
    from . import db_setup
    from .extensions import csrf, db, login_manager, migrate

    db.init_app(app)
    db_setup.init_app(app)
    migrate.init_app(app, db, directory=str(Path(__file__).parent / "migrations"), render_as_batch=True)
    csrf.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Please log in to continue."
    login_manager.login_message_category = "info"

    from .auth import logins

    logins.init_app(app)  # the user loader: a session token whose login row still exists (auth/logins.py)


# One package per use. Each has routes.py exposing `bp`, and may have cli.py exposing `COMMANDS`.
BLUEPRINTS = (
    "main",
    "auth",
    "study",
    "quiz",
    "generate",
    "progress",
    "classprogress",
    "instructor",
    "classes",
)


class BoundedIntConverter(IntegerConverter):
    """`<int:...>` in every route: at most the largest id a column holds on both databases (PostgreSQL's
    INTEGER, 2^31 - 1), so a larger number is a 404 instead of an overflow in the query."""

    def __init__(self, map, fixed_digits: int = 0, min: int | None = 0, max: int | None = MAX_ID, signed: bool = False):
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


def register_blueprints(app: Flask) -> None:
    app.url_map.converters["int"] = BoundedIntConverter
    for name in BLUEPRINTS:
        module = importlib.import_module(f"{__name__}.{name}.routes")
        app.register_blueprint(module.bp)


def register_templating(app: Flask) -> None:
    from . import templating

    templating.init_app(app)


def register_cli(app: Flask) -> None:
    """Our commands, each one transaction (`db_setup.cli_transaction`): committed when it ends normally."""
    from . import cli, db_setup

    commands = list(cli.COMMANDS)
    for name in BLUEPRINTS:
        if importlib.util.find_spec(f"{__name__}.{name}.cli") is not None:
            commands.extend(importlib.import_module(f"{__name__}.{name}.cli").COMMANDS)
    for command in commands:
        app.cli.add_command(db_setup.transactional(command))


def register_error_handlers(app: Flask) -> None:
    from . import errors

    errors.init_app(app)
