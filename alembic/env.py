"""Alembic environment: the URL comes from the settings, the metadata from mcpgateway.db."""

import contextlib
from typing import Any

from alembic import context
from sqlalchemy.engine import Connection, Engine

from mcpgateway.config import get_settings
from mcpgateway.db import logs
from mcpgateway.db.autogen import process_revision_directives, scope, table_filters
from mcpgateway.db.lock import migration_lock, mutating_command
from mcpgateway.db.migrations import SQL_DIALECT, settings_engine
from mcpgateway.db.plugins import add_version_locations, enabled_plugins
from mcpgateway.db.runner import run
from mcpgateway.db.session import connect

config = context.config
# Plain `alembic` reads only the core's folder from alembic.ini; the toolkit's CLI has
# already added the enabled plugins' folders, so this is a no-op there.
add_version_locations(context.script, (plugin.versions_dir for plugin in enabled_plugins()))

if config.config_file_name is not None:
    logs.configure(config.config_file_name)  # not over an application's own logging

COMMAND = mutating_command(config)


def compare_options() -> dict[str, Any]:
    """What autogenerate needs: the models (imported here, not for upgrade/downgrade/stamp)."""
    if COMMAND is not None:
        return {"render_as_batch": True}
    from mcpgateway.db import metadata

    x_plugin = context.get_x_argument(as_dictionary=True).get("plugin")
    return {
        "target_metadata": metadata,
        "compare_type": True,
        "compare_server_default": True,
        "render_as_batch": True,
        "process_revision_directives": process_revision_directives,
        **table_filters(metadata, scope(config, x_plugin=x_plugin)),
    }


COMPARE_OPTIONS = compare_options()


def run_migrations_offline() -> None:
    """Emit SQL instead of running it, for the configured database or a named dialect.

    ``make db-sql DIALECT=...`` sets the dialect; plain Alembic takes ``-x dialect=...``.
    """
    dialect = config.attributes.get(SQL_DIALECT) or context.get_x_argument(as_dictionary=True).get(
        "dialect"
    )
    target = {"dialect_name": dialect} if dialect else {"url": get_settings().database_url}
    context.configure(
        **target,
        literal_binds=True,
        dialect_opts={"paramstyle": "named"},
        **COMPARE_OPTIONS,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_on(connection: Connection, *, waited: bool = False) -> None:
    """Check, then migrate one revision per transaction (mcpgateway.db.runner)."""
    run(context, connection, options=COMPARE_OPTIONS, command=COMMAND, waited=waited)


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
    # The URL goes straight to the engine: through set_main_option, configparser would
    # interpolate a '%' in the password.
    engine = settings_engine(sqlite_foreign_keys=False, sqlite_transactional_ddl=True)
    # Commands that change the database hold the migration lock for the whole run.
    wait = get_settings().migration_lock_wait
    lock = migration_lock(engine, wait=wait) if COMMAND else contextlib.nullcontext(False)
    try:
        with lock as waited, connect(engine) as connection:
            run_on(connection, waited=waited)
    finally:
        engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
