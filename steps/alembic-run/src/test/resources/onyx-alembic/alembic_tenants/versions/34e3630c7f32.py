"""available tenants

Revision ID: 34e3630c7f32
Revises: 14a83a331951
"""
from alembic import op

revision = "34e3630c7f32"
down_revision = "14a83a331951"
branch_labels = None
depends_on = None


def upgrade():
    op.execute("""CREATE TABLE available_tenant (tenant_id varchar PRIMARY KEY, date_created timestamp NOT NULL DEFAULT now())""")


def downgrade():
    pass
