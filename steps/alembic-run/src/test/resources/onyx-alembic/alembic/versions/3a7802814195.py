"""chat messages

Revision ID: 3a7802814195
Revises: 27c6ecc08586
"""
from alembic import op

revision = "3a7802814195"
down_revision = "27c6ecc08586"
branch_labels = None
depends_on = None


def upgrade():
    op.execute("""CREATE TABLE chat_message (id serial PRIMARY KEY, chat_session_id uuid REFERENCES chat_session (id), message text)""")


def downgrade():
    pass
