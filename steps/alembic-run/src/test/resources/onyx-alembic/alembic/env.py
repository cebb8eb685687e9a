# Like Onyx's backend/alembic/env.py: connection from POSTGRES_*, one schema by default
# (POSTGRES_DEFAULT_SCHEMA), every tenant_* schema with -x upgrade_all_tenants=true, or -x schemas=a,b.
import os
from logging.config import fileConfig
from urllib.parse import quote_plus

from alembic import context
from sqlalchemy import create_engine, text

config = context.config
if config.config_file_name is not None:
    fileConfig(config.config_file_name)


def url():
    return "postgresql+psycopg2://%s:%s@%s:%s/%s" % (
        quote_plus(os.environ["POSTGRES_USER"]), quote_plus(os.environ.get("POSTGRES_PASSWORD", "")),
        os.environ.get("POSTGRES_HOST", "localhost"), os.environ.get("POSTGRES_PORT", "5432"),
        os.environ.get("POSTGRES_DB", "postgres"))


def schemas():
    x = context.get_x_argument(as_dictionary=True)
    if x.get("upgrade_all_tenants") == "true":
        engine = create_engine(url())
        with engine.connect() as connection:
            rows = connection.execute(text(
                "SELECT schema_name FROM information_schema.schemata WHERE schema_name LIKE 'tenant\\_%' ORDER BY 1"))
            return [row[0] for row in rows]
    if x.get("schemas"):
        return x["schemas"].split(",")
    return [os.environ.get("POSTGRES_DEFAULT_SCHEMA", "public")]


for schema in schemas():
    engine = create_engine(url(), connect_args={"options": "-csearch_path=%s" % schema})
    with engine.connect() as connection:
        context.configure(connection=connection, target_metadata=None, version_table_schema=schema)
        with context.begin_transaction():
            context.run_migrations()
