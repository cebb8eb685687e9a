# Like Onyx's backend/alembic_tenants/env.py: the shared catalog tables in public.
import os
from logging.config import fileConfig
from urllib.parse import quote_plus

from alembic import context
from sqlalchemy import create_engine

config = context.config
if config.config_file_name is not None:
    fileConfig(config.config_file_name)

url = "postgresql+psycopg2://%s:%s@%s:%s/%s" % (
    quote_plus(os.environ["POSTGRES_USER"]), quote_plus(os.environ.get("POSTGRES_PASSWORD", "")),
    os.environ.get("POSTGRES_HOST", "localhost"), os.environ.get("POSTGRES_PORT", "5432"),
    os.environ.get("POSTGRES_DB", "postgres"))

engine = create_engine(url, connect_args={"options": "-csearch_path=public"})
with engine.connect() as connection:
    context.configure(connection=connection, target_metadata=None, version_table_schema="public")
    with context.begin_transaction():
        context.run_migrations()
