"""one note model: quiz fields on cards, draft decks, stored generator candidates, named codes checked

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02 17:45:00

Adds `cards.statement` and `cards.claim` (quiz material), `decks.status` (draft or published; every
existing deck is published), `articles.candidates` and `articles.deck_id` (the generator's candidates
stored once, with the instructor's decisions), and CHECK constraints that refuse unknown codes for
roles, card kinds, types, statuses, answer kinds, states, ratings and answer sources. Unknown answer
kinds already stored (none are written by the app) are cleared first so the constraint can hold.
"""
from alembic import op
import sqlalchemy as sa

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None

ANSWER_KINDS = ("year", "date", "number", "person", "organisation", "place", "treaty", "event", "term",
                "reason", "statement")


def _in(column, values):
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


def upgrade():
    op.execute(sa.text(f"UPDATE cards SET category = NULL WHERE category IS NOT NULL AND NOT "
                       f"({_in('category', ANSWER_KINDS)})"))
    with op.batch_alter_table('cards', schema=None) as batch_op:
        batch_op.add_column(sa.Column('claim', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('statement', sa.Text(), nullable=True))
        batch_op.create_check_constraint('ck_kind_known', _in('kind', ('fact', 'argument')))
        batch_op.create_check_constraint('ck_type_known', _in('type', ('basic', 'cloze')))
        batch_op.create_check_constraint('ck_status_known', _in('status', ('active', 'retired')))
        batch_op.create_check_constraint('ck_category_known',
                                         f"category IS NULL OR {_in('category', ANSWER_KINDS)}")
    with op.batch_alter_table('decks', schema=None) as batch_op:
        batch_op.add_column(sa.Column('status', sa.String(length=16), nullable=False,
                                      server_default='published'))
        batch_op.create_check_constraint('ck_status_known', _in('status', ('draft', 'published')))
    with op.batch_alter_table('articles', schema=None) as batch_op:
        batch_op.add_column(sa.Column('candidates', sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column('deck_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key('fk_articles_deck_id_decks', 'decks', ['deck_id'], ['id'],
                                    ondelete='SET NULL')
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.create_check_constraint('ck_role_known', _in('role', ('learner', 'instructor')))
    with op.batch_alter_table('card_states', schema=None) as batch_op:
        batch_op.create_check_constraint('ck_state_known', 'state IN (1, 2, 3)')
    with op.batch_alter_table('review_logs', schema=None) as batch_op:
        batch_op.create_check_constraint('ck_rating_known', 'rating BETWEEN 1 AND 4')
        batch_op.create_check_constraint('ck_source_known', _in('source', ('study', 'quiz')))


def downgrade():
    with op.batch_alter_table('review_logs', schema=None) as batch_op:
        batch_op.drop_constraint('ck_source_known', type_='check')
        batch_op.drop_constraint('ck_rating_known', type_='check')
    with op.batch_alter_table('card_states', schema=None) as batch_op:
        batch_op.drop_constraint('ck_state_known', type_='check')
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_constraint('ck_role_known', type_='check')
    with op.batch_alter_table('articles', schema=None) as batch_op:
        batch_op.drop_constraint('fk_articles_deck_id_decks', type_='foreignkey')
        batch_op.drop_column('deck_id')
        batch_op.drop_column('candidates')
    with op.batch_alter_table('decks', schema=None) as batch_op:
        batch_op.drop_constraint('ck_status_known', type_='check')
        batch_op.drop_column('status')
    with op.batch_alter_table('cards', schema=None) as batch_op:
        batch_op.drop_constraint('ck_category_known', type_='check')
        batch_op.drop_constraint('ck_status_known', type_='check')
        batch_op.drop_constraint('ck_type_known', type_='check')
        batch_op.drop_constraint('ck_kind_known', type_='check')
        batch_op.drop_column('statement')
        batch_op.drop_column('claim')
