"""classes: an instructor's groups of learners with decks, an optional exam date and a daily study budget

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-03 07:05:00

Adds `classes`, `class_decks` and `class_members`. Existing installations get one default class
("Everyone") owned by the first instructor (or by no one, when there is none: then every instructor
manages it), with every published deck and every learner in it, so class progress shows the same
learners as before.
"""
import secrets
from datetime import datetime, timezone

import sqlalchemy as sa
from alembic import op

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None

ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def upgrade():
    op.create_table(
        'classes',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=200), nullable=False),
        sa.Column('instructor_id', sa.Integer(), nullable=True),
        sa.Column('exam_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('daily_minutes', sa.Integer(), nullable=True),
        sa.Column('join_code', sa.String(length=16), nullable=False),
        sa.Column('is_default', sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['instructor_id'], ['users.id'], ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('join_code'),
    )
    with op.batch_alter_table('classes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_classes_instructor_id'), ['instructor_id'], unique=False)
    op.create_table(
        'class_decks',
        sa.Column('class_id', sa.Integer(), nullable=False),
        sa.Column('deck_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['class_id'], ['classes.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['deck_id'], ['decks.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('class_id', 'deck_id'),
    )
    with op.batch_alter_table('class_decks', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_class_decks_deck_id'), ['deck_id'], unique=False)
    op.create_table(
        'class_members',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('class_id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('joined_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['class_id'], ['classes.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('class_id', 'user_id', name='uq_class_members'),
    )
    with op.batch_alter_table('class_members', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_class_members_user_id'), ['user_id'], unique=False)
    _default_class()


def _default_class():
    """Data: one default class with every published deck and every learner (only if there are learners
    or decks: a new, empty installation gets its class from `flask setup`)."""
    conn = op.get_bind()
    learners = conn.execute(sa.text("SELECT id FROM users WHERE role = 'learner' ORDER BY id")).scalars().all()
    decks = conn.execute(sa.text("SELECT id FROM decks WHERE status = 'published' ORDER BY id")).scalars().all()
    if not learners and not decks:
        return
    instructor = conn.execute(sa.text("SELECT min(id) FROM users WHERE role = 'instructor'")).scalar()
    now = datetime.now(timezone.utc)
    if conn.dialect.name == "sqlite":
        now = now.replace(tzinfo=None)
    code = "".join(secrets.choice(ALPHABET) for _ in range(8))
    conn.execute(sa.text("INSERT INTO classes (name, instructor_id, join_code, is_default, created_at) "
                         "VALUES ('Everyone', :instructor, :code, :yes, :now)"),
                 {"instructor": instructor, "code": code, "yes": True, "now": now})
    class_id = conn.execute(sa.text("SELECT id FROM classes WHERE join_code = :code"), {"code": code}).scalar_one()
    if decks:
        conn.execute(sa.text("INSERT INTO class_decks (class_id, deck_id) VALUES (:c, :d)"),
                     [{"c": class_id, "d": d} for d in decks])
    if learners:
        conn.execute(sa.text("INSERT INTO class_members (class_id, user_id, joined_at) VALUES (:c, :u, :now)"),
                     [{"c": class_id, "u": u, "now": now} for u in learners])


def downgrade():
    with op.batch_alter_table('class_members', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_class_members_user_id'))
    op.drop_table('class_members')
    with op.batch_alter_table('class_decks', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_class_decks_deck_id'))
    op.drop_table('class_decks')
    with op.batch_alter_table('classes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_classes_instructor_id'))
    op.drop_table('classes')
