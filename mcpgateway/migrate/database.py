"""The configured database: engines for the toolkit's runs, connections that fail in one line,
and the revisions its version table records."""

import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager

import sqlalchemy as sa
from alembic.runtime.migration import MigrationContext
from sqlalchemy.engine import Connection, Engine

from mcpgateway.config import mask_url
from mcpgateway.errors import DatabaseUnreachable, UsageError
from mcpgateway.migrate.run.probe import settings_engine


def migration_engine() -> Engine:
    """The engine migrations run on. SQLite: foreign keys off, because batch mode rebuilds a
    table by dropping it and the implicit DELETE would cascade; and transactional DDL, so a
    revision killed part-way rolls back whole."""
    return settings_engine(sqlite_foreign_keys=False, sqlite_transactional_ddl=True)


def _reason(exc: sa.exc.DBAPIError) -> str:
    text = str(exc.orig).strip().splitlines()
    return text[0] if text else type(exc.orig).__name__


@contextmanager
def connect(engine: Engine) -> Iterator[Connection]:
    """Open a connection, turning a refused or timed-out connect into one clear error."""
    try:
        connection = engine.connect()
    except sa.exc.DBAPIError as exc:
        if engine.url.get_backend_name() == "sqlite":
            raise DatabaseUnreachable(
                f"cannot open {mask_url(engine.url)}: {_reason(exc)}. Is the path in "
                "DATABASE_URL right, and the file a SQLite database?"
            ) from None
        raise DatabaseUnreachable(
            f"cannot connect to {mask_url(engine.url)}: {_reason(exc)}. "
            "Is the server running, and is DATABASE_URL right?"
        ) from None
    except TypeError as exc:  # the driver refused an argument: a query parameter it lacks
        unknown = re.search(r"argument '(\w+)'", str(exc))
        named = f" ({unknown.group(1)})" if unknown else ""
        raise UsageError(
            f"DATABASE_URL has a query parameter the {engine.dialect.driver} driver does not "
            f"take{named}; remove it"
        ) from None
    with connection:
        yield connection


@contextmanager
def configured_connection() -> Iterator[Connection]:
    """A connection to the configured database; a refused connection is one clear error."""
    engine = settings_engine()
    try:
        with connect(engine) as connection:
            yield connection
    finally:
        engine.dispose()


@contextmanager
def quiet_migration_log(*others: str) -> Iterator[None]:
    """Hold back Alembic's per-step INFO lines (a re-read, or a scratch database's build), and
    those of the ``others`` loggers named."""
    loggers = [logging.getLogger(name) for name in ("alembic.runtime.migration", *others)]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.WARNING)
    try:
        yield
    finally:
        for logger, level in zip(loggers, levels, strict=True):
            logger.setLevel(level)


def current_heads(connection: Connection | None = None) -> tuple[str, ...]:
    """The revisions the database records (``connection``'s, else the configured one's)."""
    if connection is None:
        with configured_connection() as own:
            return current_heads(own)
    with quiet_migration_log():
        return MigrationContext.configure(connection).get_current_heads()
