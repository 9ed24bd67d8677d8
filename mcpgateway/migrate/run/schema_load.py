"""Loading a schema file into an empty database, per backend, undone on any failure
(``run.fresh`` decides when). PostgreSQL: the emptiness check and the whole text in one
transaction. SQLite: the text is loaded into a new file beside the database, renamed into place.
MariaDB, whose DDL cannot roll back: a marker table naming every table, view and routine the text
makes, and the version rows it ends with, is written first and dropped last; ``recover`` finishes
(the version rows are all there) or undoes (drops what it names) a load that stopped part-way.
"""

import logging
import os
import re
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from mcpgateway.config import get_settings
from mcpgateway.errors import InterruptedRevision, ToolkitError
from mcpgateway.migrate.checks.dump import VERSIONS
from mcpgateway.migrate.database import connect
from mcpgateway.migrate.run.ledger import SCHEMA_LOAD
from mcpgateway.migrate.run.mariadb_load import load_mariadb
from mcpgateway.migrate.run.probe import ROUTINE_NAMES, is_empty
from mcpgateway.migrate.run.timeouts import set_session_timeouts

log = logging.getLogger(__name__)

MARKER = SCHEMA_LOAD
ROLLED_BACK = "it ran in one transaction, so nothing was changed"
_NAME = r"`((?:[^`]|``)+)`"
_MADE = {
    "table": re.compile(rf"^CREATE TABLE {_NAME}", re.M),
    "view": re.compile(rf"^/\*!50001 VIEW {_NAME} AS", re.M),
    "function": re.compile(rf"^CREATE\s+FUNCTION {_NAME}", re.M),
    "procedure": re.compile(rf"^CREATE\s+PROCEDURE {_NAME}", re.M),
}

Loader = Callable[[Engine, str, tuple[str, ...]], bool]


def made_by(text: str) -> list[tuple[str, str]]:
    """The tables, views and routines a MariaDB schema file makes (a table's triggers go with
    it), as (kind, name)."""
    return [
        (kind, match.replace("``", "`"))
        for kind, pattern in _MADE.items()
        for match in pattern.findall(text)
    ]


def _versions_of(cursor: Any) -> set[str]:
    """The version rows, read through a DBAPI cursor (the loads run on the driver's own)."""
    cursor.execute(VERSIONS)
    return {str(row[0]) for row in cursor.fetchall()}


def _require_versions(found: set[str], versions: tuple[str, ...]) -> None:
    """The load ends at the heads its files' headers name, or it did not happen."""
    if found != set(versions):
        shown = ", ".join(sorted(found)) or "none"
        raise ToolkitError(f"its version rows ({shown}) are not the heads its header names")


def _postgresql(engine: Engine, text: str, versions: tuple[str, ...]) -> bool:
    with connect(engine) as conn, conn.begin():
        # The file writes public.<name>: where a replay would build elsewhere (a search_path
        # naming another schema first), it would not build the same database.
        schema = conn.exec_driver_sql("SELECT current_schema()").scalar()
        if schema != "public" or not is_empty(conn):
            return False
        set_session_timeouts(conn, get_settings())  # a table lock held elsewhere fails it
        cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
        run_in_transaction(cursor, text, versions)
    return True


def run_in_transaction(cursor: Any, text: str, versions: tuple[str, ...]) -> None:
    """``text`` on a cursor of an open PostgreSQL transaction, then the check of the version
    rows it ends with; LoadFailed on any failure, as the caller's transaction rolls back whole
    (``run.early`` sends the core's file first, then the rest comes here)."""
    try:
        if text:
            cursor.execute(text)  # no parameters: a '%' in the file is text
        _require_versions(_versions_of(cursor), versions)
    except Exception as exc:  # the driver's, or ours
        raise LoadFailed(exc, ROLLED_BACK) from None


def _sqlite_script(conn: sqlite3.Connection, text: str, versions: tuple[str, ...]) -> None:
    """``text`` and the check of its version rows, in one transaction."""
    try:
        conn.executescript(f"BEGIN;\n{text}\n")
        _require_versions(_versions_of(conn.cursor()), versions)
    except (sqlite3.Error, ToolkitError):
        if conn.in_transaction:
            conn.rollback()
        raise
    conn.commit()


def _sqlite(engine: Engine, text: str, versions: tuple[str, ...]) -> bool:
    target = Path(str(engine.url.database)).resolve()
    beside = [target.with_name(target.name + suffix) for suffix in ("-wal", "-journal")]
    if any(p.exists() and p.stat().st_size for p in beside):
        return False  # open elsewhere, or a crash's journal: leave it to SQLite and the replay
    if target.exists():
        # A file that is there may be open in another program, and has its own mode and
        # header settings: it is loaded in place, in one transaction, never replaced.
        with connect(engine) as conn:
            if not is_empty(conn):
                return False
        made = sqlite3.connect(target, isolation_level=None)
        try:
            _sqlite_script(made, text, versions)
        except (sqlite3.Error, ToolkitError) as exc:
            raise LoadFailed(exc, ROLLED_BACK) from None
        finally:
            made.close()
        return True
    partial = target.with_name(f".{target.name}.loading")
    partial.unlink(missing_ok=True)
    try:
        made = sqlite3.connect(partial, isolation_level=None)
        try:
            made.execute("PRAGMA journal_mode=WAL")  # as the migration engine leaves a database
            _sqlite_script(made, text, versions)
        finally:
            made.close()
        os.replace(partial, target)
    except (sqlite3.Error, ToolkitError) as exc:
        untouched = f"it was loaded into {partial.name}, so {target.name} was not made"
        raise LoadFailed(exc, untouched) from None
    finally:
        for leftover in partial.parent.glob(f"{partial.name}*"):
            leftover.unlink()
    return True


def _drop_made(conn: sa.Connection, made: list[tuple[str, str]]) -> int:
    """Drop what a MariaDB load made, as the marker names it (views first); how many of them
    were there."""
    quote = conn.dialect.identifier_preparer.quote
    inspector = sa.inspect(conn)
    there = {*inspector.get_table_names(), *inspector.get_view_names()}
    there |= {str(row[0]) for row in conn.exec_driver_sql(ROUTINE_NAMES)}
    conn.exec_driver_sql("SET FOREIGN_KEY_CHECKS=0")
    try:
        for kind, name in sorted(made, key=lambda item: item[0] != "view"):
            conn.exec_driver_sql(f"DROP {kind.upper()} IF EXISTS {quote(name)}")
    finally:
        conn.exec_driver_sql("SET FOREIGN_KEY_CHECKS=1")
    return sum(1 for _kind, name in made if name in there)


def has_marker(engine: Engine) -> bool:
    """A MariaDB load stopped part-way here: its marker table is there."""
    with connect(engine) as conn:
        return sa.inspect(conn).has_table(MARKER)


def recover(engine: Engine) -> None:
    """A MariaDB load that stopped part-way (its marker is there): finish it if only the marker
    remained, else drop what the marker names. Whatever MIGRATION_SCHEMA_FILES says now."""
    with connect(engine) as conn:
        conn = conn.execution_options(isolation_level="AUTOCOMMIT")
        if sa.inspect(conn).has_table(MARKER):
            _recover(conn)


def _recover(conn: sa.Connection) -> None:
    rows = conn.exec_driver_sql(f"SELECT kind, name FROM {MARKER}")
    named = [(str(kind), str(name)) for kind, name in rows]
    made = [(kind, name) for kind, name in named if kind != "version"]
    versions = {name for kind, name in named if kind == "version"}
    recorded: set[str] = set()
    if "alembic_version" in sa.inspect(conn).get_table_names():
        recorded = _versions_of(conn.connection.driver_connection.cursor())  # type: ignore[union-attr]
    if not recorded <= versions:
        # Version rows the marker does not name: this database was not empty when the marker
        # was written, so the marker is not a load's. Drop nothing.
        raise InterruptedRevision(
            f"the table {MARKER} names what a schema-file load makes, but this database records "
            f"revisions that load does not ({', '.join(sorted(recorded - versions))}): it was "
            f"not left by a load into an empty database. Nothing was changed. If no load is "
            f"running, drop {MARKER} by hand"
        )
    if versions and versions <= recorded:
        conn.exec_driver_sql(f"DROP TABLE {MARKER}")
        log.warning(
            "a schema-file load into this database had stopped after its last statement; "
            "finished it"
        )
        return
    dropped = _drop_made(conn, made)
    conn.exec_driver_sql(f"DROP TABLE {MARKER}")
    log.warning(
        "a schema-file load into this database had stopped part-way; dropped what it had made "
        "(%d tables, views and routines), so the database is empty again",
        dropped,
    )


def mark(conn: sa.Connection, text: str, versions: tuple[str, ...]) -> None:
    """Write the marker: what ``text`` makes, and the version rows it ends with."""
    conn.exec_driver_sql(
        f"CREATE TABLE {MARKER} (kind VARCHAR(16) NOT NULL, name VARCHAR(64) NOT NULL)"
    )
    insert = sa.text(f"INSERT INTO {MARKER} (kind, name) VALUES (:kind, :name)")
    marked = [*made_by(text), *(("version", rev) for rev in versions)]
    conn.execute(insert, [{"kind": kind, "name": name} for kind, name in marked])


def _mariadb(engine: Engine, text: str, versions: tuple[str, ...]) -> bool:
    made = made_by(text)
    with connect(engine) as conn:
        conn = conn.execution_options(isolation_level="AUTOCOMMIT")
        if not is_empty(conn):
            return False
        mark(conn, text, versions)
        try:
            load_mariadb(engine.url.render_as_string(hide_password=False), text)
            cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
            _require_versions(_versions_of(cursor), versions)
        except (ToolkitError, sa.exc.DBAPIError, KeyboardInterrupt) as exc:
            _drop_made(conn, made)
            conn.exec_driver_sql(f"DROP TABLE {MARKER}")
            if isinstance(exc, KeyboardInterrupt):
                raise
            raise LoadFailed(exc, "what it had made was dropped") from None
        conn.exec_driver_sql(f"DROP TABLE {MARKER}")
    return True


class LoadFailed(Exception):
    """A load that failed and was undone: replay instead."""

    def __init__(self, exc: BaseException, undone: str) -> None:
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        super().__init__(f"{reason}; {undone}")


LOADERS: dict[str, Loader] = {
    "postgresql": _postgresql,
    "sqlite": _sqlite,
    "mysql": _mariadb,
    "mariadb": _mariadb,
}
