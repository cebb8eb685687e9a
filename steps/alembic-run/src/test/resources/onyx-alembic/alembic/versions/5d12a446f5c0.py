"""shared chat sessions

Revision ID: 5d12a446f5c0
Revises: 3a7802814195
"""
from alembic import op

revision = "5d12a446f5c0"
down_revision = "3a7802814195"
branch_labels = None
depends_on = None


def upgrade():
    op.execute("""ALTER TABLE chat_session ADD COLUMN shared_status varchar(16) NOT NULL DEFAULT 'PRIVATE'""")


def downgrade():
    pass
