"""chat sessions

Revision ID: 27c6ecc08586
Revises: None
"""
from alembic import op

revision = "27c6ecc08586"
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    op.execute("""CREATE TABLE chat_session (id uuid PRIMARY KEY, description text)""")


def downgrade():
    pass
