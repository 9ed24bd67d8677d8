"""Alembic environment: the URL comes from the settings, the metadata from mcpgateway.db."""

import logging
from logging.config import fileConfig

from alembic import context
from alembic.runtime.migration import MigrationContext
from sqlalchemy.engine import Connection, Engine

from mcpgateway.config import get_settings
from mcpgateway.db import metadata
from mcpgateway.db.autogen import process_revision_directives, scope, table_filters
from mcpgateway.db.migrations import quiet_migration_log
from mcpgateway.db.plugins import add_version_locations, enabled_plugins, include_recorded
from mcpgateway.db.session import connect, create_db_engine

config = context.config
# Plain `alembic` reads only the core's folder from alembic.ini; the toolkit's CLI has
# already added the enabled plugins' folders, so this is a no-op there.
add_version_locations(context.script, (plugin.versions_dir for plugin in enabled_plugins()))

# An application that runs migrations in-process keeps its own logging: fileConfig would
# replace the root handlers, so it only applies when nothing has configured logging yet.
if config.config_file_name is not None and not logging.getLogger().handlers:
    fileConfig(config.config_file_name, disable_existing_loggers=False)

COMPARE_OPTIONS = {
    "target_metadata": metadata,
    "compare_type": True,
    "compare_server_default": True,
    "render_as_batch": True,
    "process_revision_directives": process_revision_directives,
    **table_filters(
        metadata, scope(config, x_plugin=context.get_x_argument(as_dictionary=True).get("plugin"))
    ),
}


def run_migrations_offline() -> None:
    """Emit SQL instead of running it, for the configured database or a named dialect.

    ``make db-sql DIALECT=...`` sets the dialect; plain Alembic takes ``-x dialect=...``.
    """
    dialect = config.attributes.get("sql_dialect") or context.get_x_argument(
        as_dictionary=True
    ).get("dialect")
    target = {"dialect_name": dialect} if dialect else {"url": get_settings().database_url}
    context.configure(
        **target,
        literal_binds=True,
        dialect_opts={"paramstyle": "named"},
        **COMPARE_OPTIONS,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_on(connection: Connection) -> None:
    """Run migrations on an open connection."""
    ours = not connection.in_transaction()
    with quiet_migration_log():
        recorded = MigrationContext.configure(connection).get_current_heads()
    if ours and connection.in_transaction():
        # The read autobegan a transaction; left open, Alembic would nest in it and never commit.
        connection.rollback()
    # A disabled plugin that is still applied keeps its tables and its version row.
    include_recorded(context.script, recorded)
    context.configure(connection=connection, **COMPARE_OPTIONS)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    """Run on the caller's connection or engine if given, else open our own.

    Recipe: Alembic cookbook, "Sharing a Connection across one or more programmatic
    migration commands"; pytest-alembic passes an Engine there.
    """
    given: Connection | Engine | None = config.attributes.get("connection")
    if isinstance(given, Connection):
        run_on(given)
        return
    if given is not None:
        with connect(given) as connection:
            run_on(connection)
        return
    settings = get_settings()
    # The URL goes straight to the engine: through set_main_option, configparser would
    # interpolate a '%' in the password.
    engine = create_db_engine(
        url=settings.database_url,
        echo=settings.database_echo,
        connect_timeout=settings.database_connect_timeout,
        sqlite_foreign_keys=False,
        pooled=False,
    )
    try:
        with connect(engine) as connection:
            run_on(connection)
    finally:
        engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
