"""published quizzes per class: quizzes.class_id

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-03 10:20:00

A published quiz is published for one class (`quizzes.class_id`): its members see it, and the
instructor's results are that class's. Existing published quizzes go to the default class (0006's
"Everyone"); when an installation has no default class they keep an empty class_id, which means
"every learner", as before. Unpublished quizzes keep an empty class_id.
"""
import sqlalchemy as sa
from alembic import op

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('quizzes', schema=None) as batch_op:
        batch_op.add_column(sa.Column('class_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key('fk_quizzes_class_id', 'classes', ['class_id'], ['id'], ondelete='SET NULL')
        batch_op.create_index(batch_op.f('ix_quizzes_class_id'), ['class_id'], unique=False)
    conn = op.get_bind()
    default = conn.execute(sa.text("SELECT min(id) FROM classes WHERE is_default = :yes"), {"yes": True}).scalar()
    if default is not None:
        conn.execute(sa.text("UPDATE quizzes SET class_id = :c WHERE published = :yes"), {"c": default, "yes": True})


def downgrade():
    with op.batch_alter_table('quizzes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_quizzes_class_id'))
        batch_op.drop_constraint('fk_quizzes_class_id', type_='foreignkey')
        batch_op.drop_column('class_id')
