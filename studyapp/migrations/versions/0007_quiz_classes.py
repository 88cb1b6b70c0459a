"""published quizzes per class (placeholder: fixes the chain 0006 classes -> 0007)

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-03 10:20:00
"""

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
