"""a card's context line: what the card is about, shown above its front

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-05 07:30:00

Adds `cards.context` (nullable text, at most 200 characters by the note validator): a line shown on the card
itself above its front, in study, quizzes and exports. Generated cards carry their article's title in it, so a
front such as "How many people did the blast kill?" says which blast wherever it is shown.
"""
import sqlalchemy as sa
from alembic import op

revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('cards', schema=None) as batch_op:
        batch_op.add_column(sa.Column('context', sa.String(length=200), nullable=True))


def downgrade():
    with op.batch_alter_table('cards', schema=None) as batch_op:
        batch_op.drop_column('context')
