"""The request owns its transaction; imports parse and plan without holding SQLite's write lock."""
from __future__ import annotations

import io
import sqlite3

import click
import pytest
from sqlalchemy import func, select

from studyapp import db_setup
from studyapp.extensions import csrf, db
from studyapp.models import Deck, utcnow
from studyapp.services import decks, transfer

from support import make_test_app, post

HOME = "/instructor/"


def committed_decks(app) -> int:
    """Decks another connection sees: only what was committed."""
    with app.app_context(), db.engine.connect() as connection:
        return connection.scalar(select(func.count()).select_from(Deck))


@pytest.fixture
def boom_app(tmp_path):
    app = make_test_app(tmp_path)

    @app.post("/test/write/<int:status>")
    @csrf.exempt
    def write(status: int):
        db.session.add(Deck(slug=f"d{status}", name="Written", created_at=utcnow()))
        db.session.flush()
        if status == 0:
            raise RuntimeError("a view bug after its write")
        return "done", status

    with app.app_context():
        db.create_all()
    yield app
    with app.app_context():  # PostgreSQL is one shared database: leave nothing for the next test
        db.session.remove()
        db.drop_all()
        db.engine.dispose()


def test_one_commit_when_the_view_returns_and_rollback_on_error(boom_app):
    client = boom_app.test_client()
    assert client.post("/test/write/200").status_code == 200
    assert committed_decks(boom_app) == 1                      # committed before the response came back
    assert client.post("/test/write/422").status_code == 422
    assert committed_decks(boom_app) == 2                      # a form error page keeps what the view flushed
    with pytest.raises(RuntimeError):
        client.post("/test/write/0")
    assert client.post("/test/write/503").status_code == 503
    assert committed_decks(boom_app) == 2                      # the error and the 5xx were rolled back


def test_a_cli_command_is_one_transaction(app):
    @click.command("write-then")
    @click.option("--fail", is_flag=True)
    def write_then(fail: bool) -> None:
        decks.create_deck(db.session, "From the CLI", "", utcnow())
        if fail:
            raise click.ClickException("failed after writing")

    command = db_setup.transactional(write_then)
    assert app.test_cli_runner().invoke(command, ["--fail"]).exit_code == 1
    assert committed_decks(app) == 0
    assert app.test_cli_runner().invoke(command, []).exit_code == 0
    assert committed_decks(app) == 1


def _sqlite_path(app) -> str:
    with app.app_context():
        if db.engine.dialect.name != "sqlite":
            pytest.skip("the write lock is SQLite's")
        return db.engine.url.database


def _lock_is_free(path: str) -> bool:
    """Whether another connection could take the write lock right now (no waiting)."""
    other = sqlite3.connect(path, timeout=0, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")
        other.execute("ROLLBACK")
        return True
    except sqlite3.OperationalError:
        return False
    finally:
        other.close()


CSV = b"front,back,id\nQ1,A1,q-one\nQ2,A2,q-two\n"


def test_upload_and_confirm_parse_and_plan_without_the_write_lock(app, client, auth, instructor, monkeypatch):
    path = _sqlite_path(app)
    deck = decks.create_deck(db.session, "Target", "", utcnow())
    db.session.commit()
    auth.login("teacher")
    seen = []
    parse, plan = transfer.parse_upload, transfer._plan

    def parse_probe(*args):
        seen.append(("parse", _lock_is_free(path)))
        return parse(*args)

    def plan_probe(*args):
        seen.append(("plan", _lock_is_free(path)))
        return plan(*args)

    monkeypatch.setattr(transfer, "parse_upload", parse_probe)
    monkeypatch.setattr(transfer, "_plan", plan_probe)
    response = post(client, f"/instructor/decks/{deck.id}/import", {"upload": (io.BytesIO(CSV), "a.csv")},
                    token_from=HOME, content_type="multipart/form-data")
    assert response.status_code == 302
    confirm = post(client, response.headers["Location"] + "/confirm", {}, token_from=HOME)
    assert confirm.status_code == 302
    assert ("parse", True) in seen and ("plan", True) in seen and all(free for _, free in seen), seen
    with app.app_context(), db.engine.connect() as connection:
        assert connection.scalar(select(func.count()).select_from(db.metadata.tables["cards"])) == 2


def test_import_deck_command_parses_without_the_write_lock(app, tmp_path, monkeypatch):
    path = _sqlite_path(app)
    file = tmp_path / "new.csv"
    file.write_bytes(CSV)
    seen = []
    parse, plan = transfer.parse_upload, transfer._plan
    monkeypatch.setattr(transfer, "parse_upload", lambda *a: seen.append(_lock_is_free(path)) or parse(*a))
    monkeypatch.setattr(transfer, "_plan", lambda *a: seen.append(_lock_is_free(path)) or plan(*a))
    result = app.test_cli_runner().invoke(args=["import-deck", str(file)])
    assert result.exit_code == 0, result.output
    assert seen == [True, True]
    assert committed_decks(app) == 1
