"""Fixtures of the service tests."""
import pytest
import sqlalchemy as sa

from studyapp.extensions import db

from support import make_test_app


@pytest.fixture
def empty_app(tmp_path):
    """An app over an empty database (no tables, no alembic_version): for tests that run the migrations."""
    app = make_test_app(tmp_path)
    with app.app_context():
        db.drop_all()
        with db.engine.begin() as conn:
            conn.execute(sa.text("DROP TABLE IF EXISTS alembic_version"))
        yield app
        db.session.remove()
        db.drop_all()
        with db.engine.begin() as conn:
            conn.execute(sa.text("DROP TABLE IF EXISTS alembic_version"))
        db.engine.dispose()
