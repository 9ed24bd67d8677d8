"""What alembic/env.py runs: the URL from the settings, the models only when autogenerate
compares them, and every online run through the preflight and the migration lock.

env.py itself stays a few lines of configuration; both the toolkit's CLI and plain ``alembic``
come through here, so they end in the same state.
"""

import contextlib
import dataclasses
from types import ModuleType
from typing import Any, cast

from alembic.runtime.environment import EnvironmentContext
from sqlalchemy.engine import Connection

from mcpgateway.config import get_settings
from mcpgateway.migrate import autogen, check_text, compat, logs, render
from mcpgateway.migrate.checks.portable import require_portable
from mcpgateway.migrate.database import connect, migration_engine
from mcpgateway.migrate.history.graph import add_version_locations
from mcpgateway.migrate.models import load_models
from mcpgateway.migrate.options import RunOptions, options_of
from mcpgateway.migrate.plugins import enabled_plugins
from mcpgateway.migrate.run import migrate
from mcpgateway.migrate.run.lock import migration_lock


def compare_options(options: RunOptions) -> dict[str, Any]:
    """What ``context.configure`` needs besides the connection. The models are loaded only
    where autogenerate compares them (``RunOptions.autogenerate``)."""
    if options.autogenerate is None:
        return {"render_as_batch": True}
    metadata = load_models()
    require_portable(metadata)  # one line naming table.column and backend, not a traceback
    check_text.register()
    return {
        "target_metadata": metadata,
        "compare_type": True,
        "compare_server_default": render.compare_server_default,
        "render_item": render.render_item,
        "render_as_batch": True,
        # A comparison only reads: Alembic would otherwise create an empty version table in an
        # empty database, which MariaDB's DDL commits (db-up then no longer sees it empty).
        "dont_mutate": True,
        # Named CHECK constraints are compared too: added or removed (Alembic's opt-in plugin),
        # and with a changed condition (ours, mcpgateway.migrate.check_text).
        "autogenerate_plugins": [
            "alembic.autogenerate.*",
            "alembic.ext.checkconstraint_byname",
            check_text.NAME,
        ],
        "process_revision_directives": autogen.revision_directives(options),
        **autogen.table_filters(metadata, autogen.scope(options)),
    }


def run_offline(context: EnvironmentContext, options: RunOptions) -> None:
    """Emit SQL instead of running it, for the configured database or a named dialect."""
    dialect = options.sql_dialect
    context.configure(
        dialect_name=dialect,
        url=None if dialect else get_settings().database_url,
        literal_binds=True,
        dialect_opts={"paramstyle": "named"},
        **compare_options(options),
    )
    with context.begin_transaction():
        context.run_migrations()


def _run_on(
    context: EnvironmentContext, connection: Connection, options: RunOptions, *, waited: bool
) -> None:
    migrate.run(
        context, connection, compare=compare_options(options), options=options, waited=waited
    )


def run_online(context: EnvironmentContext, options: RunOptions) -> None:
    """Run on the connection the caller gave, else on the configured database; a run that
    changes the database holds the migration lock throughout."""
    given = options.connection
    if isinstance(given, Connection):
        _run_on(context, given, options, waited=False)
        return
    if given is not None:
        with connect(given) as connection:
            _run_on(context, connection, options, waited=False)
        return
    # The URL goes straight to the engine: through set_main_option, configparser would
    # interpolate a '%' in the password.
    engine = migration_engine()
    wait = get_settings().migration_lock_wait
    lock = migration_lock(engine, wait=wait) if options.mutation else contextlib.nullcontext(False)
    try:
        with lock as waited, connect(engine) as connection:
            _run_on(context, connection, options, waited=waited)
    finally:
        engine.dispose()


def run(proxy: ModuleType) -> None:
    """Everything env.py does, for the toolkit's CLI and plain ``alembic`` alike. ``proxy`` is
    ``alembic.context``, which stands for this run's EnvironmentContext."""
    context = cast(EnvironmentContext, proxy)
    config = context.config
    # Plain `alembic` reads only the core's folder from alembic.ini; the toolkit's CLI has
    # already added the enabled plugins' folders, so this is a no-op there.
    add_version_locations(context.script, (plugin.versions_dir for plugin in enabled_plugins()))
    if config.config_file_name is not None:
        logs.configure(config.config_file_name)  # not over an application's own logging
    options = options_of(config)
    if "revision_context" not in compat.environment_of(proxy).context_opts:
        # Only `revision --autogenerate` and `check` compare; any other run of a program that
        # asked to compare (pytest-alembic upgrades with the same config) must run the
        # revisions as db-up does, without the models' naming convention handed to every op.
        options = dataclasses.replace(options, autogenerate=None)
    if context.is_offline_mode():
        run_offline(context, options)
    else:
        run_online(context, options)
