"""Loading a schema file into an empty database, per backend, undone on any failure
(``run.fresh`` decides when). PostgreSQL: the emptiness check and the whole text in one
transaction. SQLite: the text is loaded into a new file beside the database, renamed into place.
MariaDB, whose DDL cannot roll back: a marker table naming every table, view and routine the text
makes, and the version rows it ends with, is written first and dropped last; ``recover`` finishes
(the version rows are all there) or undoes (drops what it names) a load that stopped part-way.
"""

import logging
import os
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from mcpgateway.config import get_settings
from mcpgateway.errors import InterruptedRevision, ToolkitError
from mcpgateway.migrate.database import connect
from mcpgateway.migrate.run.interrupts import held_interrupts
from mcpgateway.migrate.run.mariadb_load import (
    MARKER,
    NotOnlyTheLoads,
    load_mariadb,
    mark,
    marked,
    undo,
)
from mcpgateway.migrate.run.probe import is_empty, versions_of
from mcpgateway.migrate.run.timeouts import set_session_timeouts

log = logging.getLogger(__name__)

ROLLED_BACK = "it ran in one transaction, so nothing was changed"
DROPPED = "anything it had made was dropped"

Loader = Callable[[Engine, str, tuple[str, ...]], bool]


def require_versions(found: set[str], versions: tuple[str, ...]) -> None:
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
        require_versions(versions_of(cursor), versions)
    except Exception as exc:  # the driver's, or ours
        raise LoadFailed(exc, ROLLED_BACK) from None


def _sqlite_script(conn: sqlite3.Connection, text: str, versions: tuple[str, ...]) -> None:
    """``text`` and the check of its version rows, in one transaction."""
    try:
        conn.executescript(f"BEGIN;\n{text}\n")
        require_versions(versions_of(conn.cursor()), versions)
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
    try:
        named = {name for kind, name in marked(conn) if kind == "version"}
    except sa.exc.DBAPIError as exc:  # a table of that name, but not a load's marker
        raise InterruptedRevision(
            f"the table {MARKER} is not a schema-file load's marker "
            f"({str(exc.orig).strip().splitlines()[0]}). Nothing was changed. If it is not "
            f"yours, drop it by hand"
        ) from None
    recorded: set[str] = set()
    if "alembic_version" in sa.inspect(conn).get_table_names():
        recorded = versions_of(conn.connection.driver_connection.cursor())  # type: ignore[union-attr]
    if not recorded <= named:
        # Version rows the marker does not name: this database was not empty when the marker
        # was written, so the marker is not a load's. Drop nothing.
        raise InterruptedRevision(
            f"the table {MARKER} names what a schema-file load makes, but this database records "
            f"revisions that load does not ({', '.join(sorted(recorded - named))}): it was "
            f"not left by a load into an empty database. Nothing was changed. If no load is "
            f"running, drop {MARKER} by hand"
        )
    if named and named <= recorded:
        conn.exec_driver_sql(f"DROP TABLE {MARKER}")
        log.warning(
            "a schema-file load into this database had stopped after its last statement; "
            "finished it"
        )
        return
    try:
        dropped = undo(conn)
    except NotOnlyTheLoads as refused:
        raise InterruptedRevision(
            f"a schema-file load into this database stopped part-way, but {refused}. If no "
            f"load is running, drop what it made and {MARKER} by hand"
        ) from None
    log.warning(
        "a schema-file load into this database had stopped part-way; dropped what it had made "
        "(%d tables, views and routines), so the database is empty again",
        dropped,
    )


def _mariadb(engine: Engine, text: str, versions: tuple[str, ...]) -> bool:
    with connect(engine) as conn:
        conn = conn.execution_options(isolation_level="AUTOCOMMIT")
        if not is_empty(conn):
            return False
        mark(conn, text, versions)
        finish_mariadb(conn, engine.url.render_as_string(hide_password=False), text, versions)
    return True


def finish_mariadb(conn: sa.Connection, url: str, text: str, versions: tuple[str, ...]) -> None:
    """Load ``text``, marked already on ``conn`` (autocommit), and check the load ends with
    ``versions``; then drop the marker. On failure or Ctrl-C, drop what the marker names
    (``run.early`` marks and loads the core's file, then the plugins' come here)."""
    try:
        if text:
            load_mariadb(url, text)
        require_versions(versions_of(conn.connection.driver_connection.cursor()), versions)  # type: ignore[union-attr]
    except (ToolkitError, sa.exc.DBAPIError, KeyboardInterrupt) as exc:
        try:
            with held_interrupts():
                undo(conn)
        except NotOnlyTheLoads as refused:
            if isinstance(exc, KeyboardInterrupt):
                raise
            raise LoadFailed(exc, str(refused)) from None
        if isinstance(exc, KeyboardInterrupt):
            raise
        raise LoadFailed(exc, DROPPED) from None
    conn.exec_driver_sql(f"DROP TABLE {MARKER}")


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
