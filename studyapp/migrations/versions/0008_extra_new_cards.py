"""placeholder (helper E, issue 14): extra new cards today; quizzes.class_id no longer SET NULL

Revision ID: 0008
Revises: 0007
"""
revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
