"""Lock and statement timeouts for a migration session, and telling a lock timeout apart."""

import re

import sqlalchemy as sa

from mcpgateway.config import Settings

_TABLE_IN_SQL = re.compile(
    r"\b(?:ALTER\s+TABLE|CREATE\s+TABLE|INDEX\s+\S+\s+ON|DROP\s+TABLE|INSERT\s+INTO|UPDATE)"
    r"\s+[`\"]?(\w+)",
    re.IGNORECASE,
)
PG_LOCK_NOT_AVAILABLE = "55P03"
MYSQL_LOCK_WAIT_TIMEOUT = 1205


def set_session_timeouts(connection: sa.Connection, settings: Settings) -> None:
    """How long one statement may wait for a table lock, and how long it may run."""
    name = connection.dialect.name
    lock_s, stmt_s = settings.migration_lock_timeout, settings.migration_statement_timeout
    if name == "postgresql":
        connection.exec_driver_sql(f"SET lock_timeout = {int(lock_s * 1000)}")
        connection.exec_driver_sql(f"SET statement_timeout = {int(stmt_s * 1000)}")
    elif name in ("mysql", "mariadb"):
        connection.exec_driver_sql(f"SET SESSION lock_wait_timeout = {max(1, int(lock_s))}")
        connection.exec_driver_sql(f"SET SESSION innodb_lock_wait_timeout = {max(1, int(lock_s))}")
        connection.exec_driver_sql(f"SET SESSION max_statement_time = {stmt_s:g}")
    elif name == "sqlite":
        connection.exec_driver_sql(f"PRAGMA busy_timeout = {int(lock_s * 1000)}")


def is_lock_timeout(exc: sa.exc.DBAPIError) -> bool:
    """A statement gave up waiting for a table lock (not a deadlock, not a statement timeout)."""
    code = getattr(exc.orig, "pgcode", None)
    if code is not None:
        return bool(code == PG_LOCK_NOT_AVAILABLE)
    args = getattr(exc.orig, "args", ())
    if args and args[0] == MYSQL_LOCK_WAIT_TIMEOUT:
        return True
    # sqlite3 gives no error code for a busy database, only this text.
    return "database is locked" in str(exc.orig)


def blocked_table(exc: sa.exc.DBAPIError) -> str:
    """The table the failed statement was after, as far as its SQL says."""
    match = _TABLE_IN_SQL.search(str(exc.statement or ""))
    return match.group(1) if match else "a table"
