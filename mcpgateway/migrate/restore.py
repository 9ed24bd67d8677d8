"""``db-restore``: a backup replaces the database, and nothing is destroyed before the backup has
been checked. The file is verified first (``backup.verify``: the kind the backend restores, and
whole); then SQLite is copied into a temporary file beside the database and renamed over it,
and PostgreSQL drops its tables and loads the backup in one transaction, so a failure leaves
the database exactly as it was. MariaDB cannot roll DDL back: its file is verified whole, then
loaded into a scratch database on the same server (a load that fails fails there), and only
then are the database's tables dropped and the dump loaded into it.
"""

import os
import re
import sqlite3
import tempfile
import uuid
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import URL, make_url

from mcpgateway.db.session import create_db_engine
from mcpgateway.errors import BackupError, UsageError
from mcpgateway.migrate.backup import SUFFIX, copy_sqlite, sqlite_path, verify
from mcpgateway.migrate.clients import client_options, client_tool, run_tool
from mcpgateway.migrate.database import connect


def check_restorable(database_url: str, source: Path) -> None:
    """Refuse, before anything is touched, a file that is not a whole backup for this backend."""
    if not source.is_file():
        raise UsageError(f"FILE={source} does not exist")
    backend = make_url(database_url).get_backend_name()
    expected = SUFFIX.get(backend)
    if expected and source.suffix != expected:
        raise UsageError(f"FILE={source} is not a {backend} backup (expected a {expected} file)")
    try:
        verify(backend, source)
    except BackupError as exc:
        raise BackupError(f"FILE={source} cannot be restored: {exc}; nothing was changed") from None
    database = make_url(database_url).database or ""
    reach = _names_a_database(source, database) if backend in ("mysql", "mariadb") else None
    if reach:
        raise BackupError(
            f"FILE={source} cannot be restored here: {reach}, so it would not load only where "
            "db-restore puts it; load it with the mariadb client if that is meant. Nothing was "
            "changed"
        )


def _sqlite(url: URL, source: Path) -> None:
    target = sqlite_path(url).resolve()
    handle, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".restore", dir=target.parent)
    os.close(handle)
    partial = Path(name)
    try:
        copy_sqlite(source, partial)
        verify("sqlite", partial)
        if target.exists():  # fold the live database's WAL in, so no stale one is left
            with sqlite3.connect(target) as live:
                live.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            live.close()
        os.replace(partial, target)
        for leftover in (Path(f"{target}-wal"), Path(f"{target}-shm")):
            leftover.unlink(missing_ok=True)
    finally:
        partial.unlink(missing_ok=True)


def _tables(database_url: str) -> list[str]:
    engine = create_db_engine(url=database_url, sqlite_foreign_keys=False, pooled=False)
    try:
        with connect(engine) as conn:
            return list(sa.inspect(conn).get_table_names())
    finally:
        engine.dispose()


def _postgresql(url: URL, database_url: str, source: Path) -> None:
    args, env = client_options(url)
    with tempfile.TemporaryDirectory() as folder:
        script = Path(folder) / "restore.sql"
        run_tool([client_tool("pg_restore"), "--no-owner", "-f", "-", str(source)], env, out=script)
        drops = "".join(f'DROP TABLE IF EXISTS "{t}" CASCADE;\n' for t in _tables(database_url))
        script.write_text(drops + script.read_text(encoding="utf-8"), encoding="utf-8")
        psql = [client_tool("psql"), *args, "-X", "-q", "--single-transaction"]
        try:
            run_tool([*psql, "-v", "ON_ERROR_STOP=1", url.database or ""], env, stdin=script)
        except BackupError as exc:
            raise BackupError(f"{exc}; the restore was rolled back, nothing was changed") from None


# A statement that switches or creates a database (mariadb-dump --databases writes them).
_SWITCHES = re.compile(rb"^\s*(/\*!\d+\s*)?(USE|CREATE\s+(DATABASE|SCHEMA))\b", re.IGNORECASE)
_STRING = re.compile(rb"'(?:[^'\\]|\\.|'')*'")  # a quoted value: data, never a name


def _names_a_database(source: Path, database: str) -> str | None:
    """Why a MariaDB dump would reach beyond the database it is loaded into, or None: it
    switches database, or names ``database`` in a statement (it would run there even while
    db-restore checks the dump in a scratch database)."""
    name = re.escape(database.encode())
    qualified = re.compile(rb"(`" + name + rb"`|\b" + name + rb")\s*\.\s*[`\w]")
    with source.open("rb") as dump:
        for number, line in enumerate(dump, start=1):
            if _SWITCHES.match(line):
                return f"line {number} switches or creates a database (mariadb-dump --databases?)"
            if qualified.search(_STRING.sub(b"''", line)):
                return f"line {number} names the database {database} itself"
    return None


def _on_server(database_url: str, *statements: str) -> None:
    engine = create_db_engine(url=database_url, pooled=False)
    try:
        with connect(engine) as conn:
            for statement in statements:
                conn.exec_driver_sql(statement)
            conn.commit()
    finally:
        engine.dispose()


def _mariadb(url: URL, database_url: str, source: Path) -> None:
    """Load into a scratch database first: a dump that fails part-way fails there, and the
    database is untouched. Only a dump that loaded whole is loaded over the database."""
    args, env = client_options(url)
    mariadb = client_tool("mariadb")
    scratch = f"{url.database}_restore_{uuid.uuid4().hex[:8]}"[-64:]
    try:
        _on_server(database_url, f"CREATE DATABASE `{scratch}`")
    except sa.exc.DBAPIError as exc:
        raise BackupError(
            f"cannot create a scratch database to check the dump in ({exc.orig}); "
            "db-restore needs CREATE and DROP on the server. Nothing was changed"
        ) from None
    try:
        run_tool([mariadb, *args, scratch], env, stdin=source)
    except BackupError as exc:
        raise BackupError(
            f"{exc}; it failed while loading into a scratch database, so nothing was changed"
        ) from None
    finally:
        _on_server(database_url, f"DROP DATABASE IF EXISTS `{scratch}`")
    engine = create_db_engine(url=database_url, pooled=False)
    try:
        with connect(engine) as conn:
            inspector = sa.inspect(conn)
            views = inspector.get_view_names()
            metadata = sa.MetaData()
            metadata.reflect(conn)
            conn.exec_driver_sql("SET FOREIGN_KEY_CHECKS = 0")
            for view in views:
                conn.exec_driver_sql(f"DROP VIEW IF EXISTS `{view}`")
            for table in reversed(metadata.sorted_tables):
                conn.execute(sa.schema.DropTable(table, if_exists=True))
            conn.commit()
    finally:
        engine.dispose()
    run_tool([mariadb, *args, url.database or ""], env, stdin=source)


def restore(database_url: str, source: Path) -> None:
    """Replace the database's contents with the backup ``source``, checked first."""
    check_restorable(database_url, source)
    url = make_url(database_url)
    backend = url.get_backend_name()
    if backend == "sqlite":
        _sqlite(url, source)
    elif backend == "postgresql":
        _postgresql(url, database_url, source)
    else:
        _mariadb(url, database_url, source)
