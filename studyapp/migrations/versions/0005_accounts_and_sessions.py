"""accounts and sessions: server-side login rows, login-failure and registration throttle events, forced change

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-03 06:55:00

Adds `user_sessions` (one row per logged-in browser, holding only SHA-256 hashes of its session and
remember-me tokens), `throttle_events` (failed logins per account name and per address, registrations per
address: the login limit's store, shared by every worker and server) and `users.must_change_password`
(set by a password reset). Existing sessions and remember-me cookies carried a user id; they no longer
open anything, so everyone logs in once after the upgrade.
"""
from alembic import op
import sqlalchemy as sa


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'user_sessions',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('token_hash', sa.String(length=64), nullable=False),
        sa.Column('remember_hash', sa.String(length=64), nullable=True),
        sa.Column('user_agent', sa.String(length=200), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('last_seen_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('remember_hash'),
        sa.UniqueConstraint('token_hash'),
    )
    with op.batch_alter_table('user_sessions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_user_sessions_user_id'), ['user_id'], unique=False)

    op.create_table(
        'throttle_events',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=16), nullable=False),
        sa.Column('account', sa.String(length=64), nullable=False),
        sa.Column('address', sa.String(length=64), nullable=False),
        sa.Column('at', sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("kind IN ('login', 'register', 'taken')", name='ck_kind_known'),
        sa.PrimaryKeyConstraint('id'),
    )
    with op.batch_alter_table('throttle_events', schema=None) as batch_op:
        batch_op.create_index('ix_throttle_events_kind_account_at', ['kind', 'account', 'at'], unique=False)
        batch_op.create_index('ix_throttle_events_kind_address_at', ['kind', 'address', 'at'], unique=False)

    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('must_change_password', sa.Boolean(), nullable=False,
                                      server_default=sa.false()))


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('must_change_password')
    with op.batch_alter_table('throttle_events', schema=None) as batch_op:
        batch_op.drop_index('ix_throttle_events_kind_address_at')
        batch_op.drop_index('ix_throttle_events_kind_account_at')
    op.drop_table('throttle_events')
    with op.batch_alter_table('user_sessions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_user_sessions_user_id'))
    op.drop_table('user_sessions')
