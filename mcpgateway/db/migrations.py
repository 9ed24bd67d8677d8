"""Builds the Alembic ``Config`` the CLI hands to ``alembic.command``."""

import logging
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TextIO

from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.script.revision import ResolutionError
from sqlalchemy.engine import Connection, Engine

from mcpgateway.config import get_settings
from mcpgateway.db.revcache import ini_path
from mcpgateway.db.session import connect, create_db_engine
from mcpgateway.errors import UsageError

# Set by `db-sql DIALECT=...`; plain Alembic passes `-x dialect=...`.
SQL_DIALECT = "mcpgateway.sql_dialect"


def find_ini() -> Path:
    """Locate alembic.ini: ``$ALEMBIC_CONFIG`` (as Alembic reads it), else ./alembic.ini."""
    path = ini_path()
    if not path.is_file():
        raise UsageError(
            f"{path} not found; run from the project root or set ALEMBIC_CONFIG to its path"
        )
    return path


def load_config(*, ini: Path | None = None, stdout: TextIO = sys.stdout) -> Config:
    """The project's Alembic config, with every enabled plugin's version folder added.

    The URL is not in it: env.py reads the settings.
    """
    from mcpgateway.db.plugins import enabled_plugins

    config = Config(str(ini or find_ini()), stdout=stdout)
    folders = [str(plugin.versions_dir) for plugin in enabled_plugins()]
    if folders:
        core = config.get_alembic_option("version_locations") or ""
        joined = os.pathsep.join([core, *folders]) if core else os.pathsep.join(folders)
        config.set_main_option("version_locations", joined.replace("%", "%%"))
    return config


def is_known(script: ScriptDirectory, rev: str) -> bool:
    """True when some script in ``script`` has revision ``rev``."""
    try:
        return script.revision_map.get_revision(rev) is not None
    except ResolutionError:
        return False


@contextmanager
def quiet_migration_log() -> Iterator[None]:
    """Hold back Alembic's per-step INFO lines (a re-read, or a scratch database's build)."""
    logger = logging.getLogger("alembic.runtime.migration")
    level = logger.level
    logger.setLevel(logging.WARNING)
    try:
        yield
    finally:
        logger.setLevel(level)


def settings_engine(**options: Any) -> Engine:
    """A connection-per-use engine for the configured database (DATABASE_URL, its timeouts)."""
    settings = get_settings()
    return create_db_engine(
        url=settings.database_url,
        echo=settings.database_echo,
        connect_timeout=settings.database_connect_timeout,
        pooled=False,
        **options,
    )


@contextmanager
def configured_connection() -> Iterator[Connection]:
    """A connection to the configured database; a refused connect is one clear error."""
    engine = settings_engine()
    try:
        with connect(engine) as connection:
            yield connection
    finally:
        engine.dispose()


def current_heads(connection: Connection | None = None) -> tuple[str, ...]:
    """The revisions the database records (``connection``'s, else the configured one's)."""
    if connection is None:
        with configured_connection() as own:
            return current_heads(own)
    with quiet_migration_log():
        return MigrationContext.configure(connection).get_current_heads()
