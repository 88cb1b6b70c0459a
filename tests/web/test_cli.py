import json

from sqlalchemy import func, select

from studyapp.extensions import db
from studyapp.models import Card, User

from support import CARDS_DIR


def test_load_cards_is_idempotent(runner):
    first = runner.invoke(args=["load-cards"])
    assert first.exit_code == 0 and " added" in first.output
    count = db.session.scalar(select(func.count()).select_from(Card))
    second = runner.invoke(args=["load-cards", str(CARDS_DIR)])
    assert second.exit_code == 0 and "0 added, 0 updated, 0 retired" in second.output
    assert db.session.scalar(select(func.count()).select_from(Card)) == count >= 60


def test_broken_deck_file_imports_nothing_and_names_file_line_field(runner, tmp_path):
    good = (CARDS_DIR / "china-russia.toml").read_text()
    (tmp_path / "a.toml").write_text(good)
    broken = good.replace('kind = "fact"', 'kind = "rumour"', 1)
    (tmp_path / "b.toml").write_text(broken.replace('id = "china-russia"', 'id = "other"'))
    result = runner.invoke(args=["load-cards", str(tmp_path)])
    assert result.exit_code == 1
    line = broken.splitlines().index('kind = "rumour"') + 1
    assert f"b.toml:{line}: card[" in result.output and ".kind: 'rumour' must be one of" in result.output
    assert db.session.scalar(select(func.count()).select_from(Card)) == 0


def test_create_user_with_and_without_password(runner):
    result = runner.invoke(args=["create-user", "prof", "--role", "instructor", "--password", "long-enough-1"])
    assert result.exit_code == 0
    prompted = runner.invoke(args=["create-user", "kid"], input="long-enough-2\nlong-enough-2\n")
    assert prompted.exit_code == 0
    roles = dict(db.session.execute(select(User.username, User.role)).all())
    assert roles == {"prof": "instructor", "kid": "learner"}
    dup = runner.invoke(args=["create-user", "prof", "--password", "long-enough-1"])
    assert dup.exit_code != 0 and "taken" in dup.output


def test_export_deck_json(runner, deck, tmp_path):
    result = runner.invoke(args=["export-deck", str(deck.id), "--format", "json"])
    assert result.exit_code == 0
    records = json.loads(result.output)
    assert len(records) == db.session.scalar(select(func.count()).select_from(Card))
    for key in ("id", "deck", "kind", "type", "prompt", "answer", "explanation", "section", "tags"):
        assert key in records[0]
    assert {r["deck"] for r in records} == {deck.id}
    out = tmp_path / "all.json"
    assert runner.invoke(args=["export-deck", "--all", "--format", "json", "-o", str(out)]).exit_code == 0
    assert json.loads(out.read_text()) == records


def test_setup_creates_demo_accounts_once(runner):
    first = runner.invoke(args=["setup"])
    assert first.exit_code == 0, first.output
    assert "learner-demo" in first.output and "instructor-demo" in first.output
    second = runner.invoke(args=["setup"])
    assert second.exit_code == 0 and "learner-demo" not in second.output
    assert db.session.scalar(select(func.count()).select_from(User)) == 2


def test_backup_is_a_consistent_copy(runner, deck, tmp_path):
    import sqlite3

    if db.engine.dialect.name != "sqlite":
        result = runner.invoke(args=["backup", str(tmp_path / "copy.sqlite3")])
        assert result.exit_code != 0 and "pg_dump" in result.output
        return
    target = tmp_path / "copies" / "copy.sqlite3"
    result = runner.invoke(args=["backup", str(target)])
    assert result.exit_code == 0, result.output
    copy = sqlite3.connect(target)
    assert copy.execute("SELECT count(*) FROM cards").fetchone()[0] == \
        db.session.scalar(select(func.count()).select_from(Card))
    assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    copy.close()
    again = runner.invoke(args=["backup", str(target)])
    assert again.exit_code != 0 and "exists" in again.output
