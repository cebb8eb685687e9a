"""tenant mapping

Revision ID: 14a83a331951
Revises: None
"""
from alembic import op

revision = "14a83a331951"
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    op.execute("""CREATE TABLE user_tenant_mapping (email varchar PRIMARY KEY, tenant_id varchar NOT NULL)""")


def downgrade():
    pass
