"""A fresh database from its schema file: ``make db-up`` on an empty database loads
``alembic/schema/<backend>.sql`` instead of running every core revision, when the file's digest
equals the revision files' (``history.digest``). The file is a replay of those revisions dumped
by the database's own tool (``make db-schema``), with the rows they insert, the ledger's rows and
the version rows last; so the database ends up as a replay leaves it.

It is a shortcut, never a change of outcome: anything unexpected (a database that is not empty,
a stale file, a load that fails) and the revisions run as they would without it. Under the
migration lock:
- PostgreSQL: the emptiness check and the whole file in one transaction.
- SQLite: the file is loaded into a new file beside the database, renamed into place.
- MariaDB, whose DDL cannot roll back: a marker table naming every table, view and routine the
  file makes is written first and dropped last. A run that finds it finishes the load (the
  version rows, the file's last statement, are there) or drops what it names and loads again,
  and says which.
Plain ``alembic upgrade`` always replays; so does ``MIGRATION_SCHEMA_FILES=false``.
"""

import contextlib
import logging
import os
import re
import sqlite3
from collections.abc import Callable
from pathlib import Path

import sqlalchemy as sa
from alembic import command
from sqlalchemy.engine import Engine

from mcpgateway.config import get_settings
from mcpgateway.db.session import create_db_engine
from mcpgateway.errors import ToolkitError
from mcpgateway.migrate.alembic_config import ini_path, load_config
from mcpgateway.migrate.backup import run_script
from mcpgateway.migrate.database import connect, migration_engine
from mcpgateway.migrate.history.digest import (
    FILE_NAMES,
    Header,
    files_digest,
    read_header,
    schema_dir,
)
from mcpgateway.migrate.history.position import position_line
from mcpgateway.migrate.options import RunOptions
from mcpgateway.migrate.paths import shown_path
from mcpgateway.migrate.plugins import CORE, enabled_plugins
from mcpgateway.migrate.run.ledger import SCHEMA_LOAD
from mcpgateway.migrate.run.lock import migration_lock

log = logging.getLogger(__name__)

MARKER = SCHEMA_LOAD
_NAME = r"`((?:[^`]|``)+)`"
_MADE = {
    "table": re.compile(rf"^CREATE TABLE {_NAME}", re.M),
    "view": re.compile(rf"^/\*!50001 VIEW {_NAME} AS", re.M),
    "function": re.compile(rf"^CREATE\s+FUNCTION {_NAME}", re.M),
    "procedure": re.compile(rf"^CREATE\s+PROCEDURE {_NAME}", re.M),
}

Loader = Callable[[Engine, Path, str], bool]


def made_by(text: str) -> list[tuple[str, str]]:
    """The tables, views and routines a MariaDB schema file makes (a table's triggers go with
    it), as (kind, name)."""
    return [
        (kind, match.replace("``", "`"))
        for kind, pattern in _MADE.items()
        for match in pattern.findall(text)
    ]


def is_empty(conn: sa.Connection) -> bool:
    """No table, view or sequence in the connection's schema; on MariaDB, no routine either."""
    inspector = sa.inspect(conn)
    if inspector.get_table_names() or inspector.get_view_names():
        return False
    if conn.dialect.name == "postgresql":
        return not inspector.get_sequence_names()
    if conn.dialect.name in ("mysql", "mariadb"):
        routines = (
            "SELECT COUNT(*) FROM information_schema.routines WHERE routine_schema = DATABASE()"
        )
        return not conn.exec_driver_sql(routines).scalar()
    return True


def _postgresql(engine: Engine, path: Path, text: str) -> bool:
    with connect(engine) as conn, conn.begin():
        if not is_empty(conn):
            return False
        cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
        try:
            cursor.execute(text)  # no parameters: a '%' in the file is text
        except Exception as exc:  # the driver's own error; the transaction rolls back whole
            raise _Failed(exc, "it ran in one transaction, so nothing was changed") from None
    return True


def _sqlite(engine: Engine, path: Path, text: str) -> bool:
    target = Path(str(engine.url.database)).resolve()
    beside = [target.with_name(target.name + suffix) for suffix in ("-wal", "-journal")]
    if any(p.exists() and p.stat().st_size for p in beside):
        return False  # open elsewhere, or a crash's journal: leave it to SQLite and the replay
    if target.exists() and target.stat().st_size:
        with connect(engine) as conn:
            if not is_empty(conn):
                return False
    partial = target.with_name(f".{target.name}.loading")
    partial.unlink(missing_ok=True)
    try:
        made = sqlite3.connect(partial)
        try:
            made.execute("PRAGMA journal_mode=WAL")  # as the migration engine leaves a database
            made.executescript(text)
        finally:
            made.close()
        os.replace(partial, target)
    except sqlite3.Error as exc:
        untouched = f"it was loaded into {partial.name}, so {target.name} was not touched"
        raise _Failed(exc, untouched) from None
    finally:
        for leftover in partial.parent.glob(f"{partial.name}*"):
            leftover.unlink()
    return True


def _drop_made(conn: sa.Connection, made: list[tuple[str, str]]) -> None:
    """Drop what a MariaDB load made, as the marker names it (views first)."""
    quote = conn.dialect.identifier_preparer.quote
    conn.exec_driver_sql("SET FOREIGN_KEY_CHECKS=0")
    try:
        for kind, name in sorted(made, key=lambda item: item[0] != "view"):
            conn.exec_driver_sql(f"DROP {kind.upper()} IF EXISTS {quote(name)}")
    finally:
        conn.exec_driver_sql("SET FOREIGN_KEY_CHECKS=1")


def recover(engine: Engine) -> None:
    """A MariaDB load that stopped part-way (its marker is there): finish it if only the marker
    remained, else drop what the marker names. Whatever MIGRATION_SCHEMA_FILES says now."""
    with connect(engine) as conn:
        conn = conn.execution_options(isolation_level="AUTOCOMMIT")
        if sa.inspect(conn).has_table(MARKER):
            _recover(conn)


def _recover(conn: sa.Connection) -> None:
    made = [(str(k), str(n)) for k, n in conn.exec_driver_sql(f"SELECT kind, name FROM {MARKER}")]
    tables = set(sa.inspect(conn).get_table_names())
    finished = (
        "alembic_version" in tables
        and conn.exec_driver_sql("SELECT COUNT(*) FROM alembic_version").scalar()
    )
    if finished:
        conn.exec_driver_sql(f"DROP TABLE {MARKER}")
        log.warning(
            "a schema-file load into this database had stopped after its last statement; "
            "finished it"
        )
        return
    _drop_made(conn, made)
    conn.exec_driver_sql(f"DROP TABLE {MARKER}")
    log.warning(
        "a schema-file load into this database had stopped part-way; dropped the %d tables, "
        "views and routines it makes, so the database is empty again",
        len(made),
    )


def _mariadb(engine: Engine, path: Path, text: str) -> bool:
    made = made_by(text)
    with connect(engine) as conn:
        conn = conn.execution_options(isolation_level="AUTOCOMMIT")
        if not is_empty(conn):
            return False
        conn.exec_driver_sql(
            f"CREATE TABLE {MARKER} (kind VARCHAR(16) NOT NULL, name VARCHAR(64) NOT NULL)"
        )
        insert = sa.text(f"INSERT INTO {MARKER} (kind, name) VALUES (:kind, :name)")
        conn.execute(insert, [{"kind": kind, "name": name} for kind, name in made])
        try:
            run_script(engine.url.render_as_string(hide_password=False), path)
        except (ToolkitError, KeyboardInterrupt) as exc:
            _drop_made(conn, made)
            conn.exec_driver_sql(f"DROP TABLE {MARKER}")
            if isinstance(exc, KeyboardInterrupt):
                raise
            raise _Failed(exc, "what it had made was dropped") from None
        conn.exec_driver_sql(f"DROP TABLE {MARKER}")
    return True


class _Failed(Exception):
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


def load_schema_file() -> Header | None:
    """Load the core's schema file into the configured database if it is empty and the file is
    current; the file's header if it did, None to replay instead."""
    settings = get_settings()
    if not ini_path().is_file():
        return None
    config = load_config(RunOptions(mutation="upgrade"))
    engine = migration_engine()
    backend = engine.url.get_backend_name()
    path = schema_dir(config) / f"{FILE_NAMES.get(backend, '')}.sql"
    try:
        with migration_lock(engine, wait=settings.migration_lock_wait):
            if backend in ("mysql", "mariadb"):
                recover(engine)
            if not settings.migration_schema_files or backend not in LOADERS:
                return None
            if not path.is_file():
                return None
            text = path.read_text(encoding="utf-8")
            found = read_header(text)
            if found is None or found.digest != files_digest(config):
                _stale(engine, path)
                return None
            if not LOADERS[backend](engine, path, text):
                return None
    except _Failed as failed:
        log.warning(
            "loading %s failed (%s); running the revisions instead", shown_path(path), failed
        )
        return None
    finally:
        engine.dispose()
    log.info(
        "loaded %s: the core is at %s without running its revisions one by one",
        shown_path(path),
        " ".join(found.heads),
    )
    return found


def _stale(engine: Engine, path: Path) -> None:
    """Say so when the file would have been used (the database is empty): a replay is slower."""
    with connect(engine) as conn:
        empty = is_empty(conn)
    if empty:
        log.warning(
            "%s was made from other revision files than these; running the revisions instead "
            "(make db-schema writes it again)",
            shown_path(path),
        )


def up_from_schema_file() -> bool:
    """db-up on an empty database: load the schema file and print where the database is; True
    when nothing is left to do (no plugin is enabled: their revisions run on the full path)."""
    found = load_schema_file()
    if found is None or enabled_plugins():
        return False
    print(position_line(get_settings().database_url, {CORE: found.heads}))
    return True


def bring_to_head(url: str) -> None:
    """Bring the empty database ``url`` to head as db-up does, without its lock (the database
    is the caller's own): the core's current schema file loaded, then any revision left run."""
    engine = create_db_engine(
        url=url, sqlite_foreign_keys=False, sqlite_transactional_ddl=True, pooled=False
    )
    try:
        config = load_config(RunOptions(mutation="upgrade", connection=engine))
        backend = engine.url.get_backend_name()
        path = schema_dir(config) / f"{FILE_NAMES.get(backend, '')}.sql"
        if backend in LOADERS and path.is_file():
            text = path.read_text(encoding="utf-8")
            found = read_header(text)
            if found is not None and found.digest == files_digest(config):
                with contextlib.suppress(_Failed):  # undone: the revisions run below
                    LOADERS[backend](engine, path, text)
        command.upgrade(config, "heads")
    finally:
        engine.dispose()
