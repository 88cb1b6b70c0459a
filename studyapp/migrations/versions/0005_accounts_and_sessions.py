"""accounts and sessions (filled in by the accounts work: session tokens, remember-me tokens, login failures)

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-03 06:55:00

"""
from alembic import op  # noqa: F401
import sqlalchemy as sa  # noqa: F401


# revision identifiers, used by Alembic.
revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
