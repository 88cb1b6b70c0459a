"""extra new cards today (custom study); a class with quizzes cannot be deleted behind their back

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-03 13:40:00

Adds `extra_new_cards`: the new cards a learner chose to take beyond a deck's daily limit on one study day.
`quizzes.class_id` becomes ON DELETE RESTRICT (was SET NULL, which would have shown a deleted class's published
quizzes to every learner); `services.classes.delete_class` unpublishes them before deleting the class.
"""
import sqlalchemy as sa
from alembic import op

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'extra_new_cards',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('deck_id', sa.Integer(), nullable=False),
        sa.Column('day_start', sa.DateTime(timezone=True), nullable=False),
        sa.Column('count', sa.Integer(), nullable=False),
        sa.Column('new_limit', sa.Integer(), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['deck_id'], ['decks.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('user_id', 'deck_id', 'day_start', name='uq_extra_new_cards'),
    )
    with op.batch_alter_table('extra_new_cards', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_extra_new_cards_deck_id'), ['deck_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_extra_new_cards_day_start'), ['day_start'], unique=False)
    with op.batch_alter_table('quizzes', schema=None) as batch_op:
        batch_op.drop_constraint('fk_quizzes_class_id', type_='foreignkey')
        batch_op.create_foreign_key('fk_quizzes_class_id', 'classes', ['class_id'], ['id'], ondelete='RESTRICT')


def downgrade():
    with op.batch_alter_table('quizzes', schema=None) as batch_op:
        batch_op.drop_constraint('fk_quizzes_class_id', type_='foreignkey')
        batch_op.create_foreign_key('fk_quizzes_class_id', 'classes', ['class_id'], ['id'], ondelete='SET NULL')
    with op.batch_alter_table('extra_new_cards', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_extra_new_cards_day_start'))
        batch_op.drop_index(batch_op.f('ix_extra_new_cards_deck_id'))
    op.drop_table('extra_new_cards')
