"""``db-backup`` and ``db-restore``: the database's own tools, or SQLite's online backup API.

Passwords reach pg_dump and mariadb-dump through their environment (``clients``), never the
command line, where ``ps`` would show them. A backup holds every row (password
hashes too): its folder is 0700 and each file 0600. It is written under a hidden partial name,
checked (pg_restore reads its table of contents; a MariaDB dump ends with the tool's
completion line; a SQLite copy passes ``PRAGMA integrity_check``), and only then renamed into
place; a backup that fails leaves nothing behind.
"""

import os
import sqlite3
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import URL, make_url

from mcpgateway.config import get_settings
from mcpgateway.db.session import create_db_engine
from mcpgateway.errors import BackupError, UsageError
from mcpgateway.migrate.clients import client_options, client_tool, run_tool
from mcpgateway.migrate.database import connect
from mcpgateway.migrate.paths import write_atomically

SUFFIX = {"postgresql": ".dump", "mysql": ".sql", "mariadb": ".sql", "sqlite": ".sqlite"}


def sqlite_path(url: URL) -> Path:
    """The SQLite database file ``url`` names; an in-memory one is refused."""
    if not url.database or url.database == ":memory:":
        raise UsageError("an in-memory SQLite database cannot be backed up")
    return Path(url.database)


MARIADB_DUMP_DONE = b"-- Dump completed"


def private_folder(folder: Path) -> Path:
    """``folder``, created if need be, readable by its owner only."""
    folder.mkdir(parents=True, exist_ok=True)
    folder.chmod(0o700)
    return folder


def _answers(url: URL) -> None:
    """Connect once with DATABASE_CONNECT_TIMEOUT (handshake included); one error if not."""
    engine = create_db_engine(
        url=url, connect_timeout=get_settings().database_connect_timeout, pooled=False
    )
    try:
        with connect(engine):
            pass
    finally:
        engine.dispose()


def _dump(url: URL, partial: Path) -> None:
    backend = url.get_backend_name()
    if backend == "postgresql":
        args, env = client_options(url)
        dump = [client_tool("pg_dump"), *args, "--format=custom", "--no-owner", "-f"]
        run_tool([*dump, str(partial), url.database or ""], env)
    elif backend in ("mysql", "mariadb"):
        _answers(url)
        args, env = client_options(url)
        dump = [client_tool("mariadb-dump"), *args, "--single-transaction", "--routines"]
        run_tool([*dump, "--triggers", url.database or ""], env, out=partial)
    else:
        source = sqlite_path(url)
        if not source.is_file():
            raise BackupError(f"{source} does not exist; nothing to back up")
        copy_sqlite(source, partial)


def copy_sqlite(source: Path, destination: Path) -> None:
    """Copy a SQLite database with its online backup API into one self-contained file (the
    copy would take the source's WAL mode otherwise); read-only on the source."""
    try:
        with sqlite3.connect(f"file:{source}?mode=ro", uri=True) as src:
            with sqlite3.connect(destination) as dst:
                src.backup(dst)
                dst.execute("PRAGMA journal_mode=DELETE")
            dst.close()
        src.close()
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"{source} is not a SQLite database ({exc})") from None


def verify(backend: str, path: Path) -> None:
    """Raise BackupError unless ``path`` is a whole backup for ``backend``."""
    if path.stat().st_size == 0:
        raise BackupError(f"{path.name} is empty")
    if backend == "postgresql":
        run_tool([client_tool("pg_restore"), "--list", str(path)], dict(os.environ))
    elif backend in ("mysql", "mariadb"):
        with path.open("rb") as dump:
            dump.seek(max(0, path.stat().st_size - 200))
            if MARIADB_DUMP_DONE not in dump.read():
                raise BackupError(f"{path.name} does not end as a finished mariadb-dump does")
    else:
        try:
            with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as conn:
                result = conn.execute("PRAGMA integrity_check").fetchone()
            conn.close()
        except sqlite3.DatabaseError as exc:
            raise BackupError(f"{path.name} is not a SQLite database ({exc})") from None
        if result is None or result[0] != "ok":
            raise BackupError(f"{path.name} fails SQLite's integrity check")


def _target(url: URL, folder: Path, kind: str) -> Path:
    private_folder(folder)
    name = Path(url.database or "database").stem
    return folder / f"{name}{kind}-{datetime.now(UTC):%Y%m%d-%H%M%S-%f}"


def version_row_sql(url: URL, rows: tuple[str, ...] | list[str], *, replace: bool) -> str:
    """SQL that writes ``rows`` into the version table (``replace``: after emptying it), each
    value quoted by the database's own dialect (MariaDB's backslashes too), one per line."""
    dialect = url.get_dialect()()
    table = sa.table("alembic_version", sa.column("version_num", sa.String))
    inserts = [sa.insert(table).values(version_num=rev) for rev in rows]
    statements = [sa.delete(table), *inserts] if replace else inserts
    return literal_sql(dialect, statements)


def literal_sql(dialect: sa.Dialect, statements: Sequence[sa.ClauseElement]) -> str:
    """``statements`` as SQL a client runs, values quoted by ``dialect`` itself (MariaDB's
    backslashes too), one per line."""
    compiled = [
        str(statement.compile(dialect=dialect, compile_kwargs={"literal_binds": True}))
        for statement in statements
    ]
    return "".join(f"{' '.join(sql.split())};\n" for sql in compiled)


def save_version_rows(
    database_url: str, rows: tuple[str, ...], *, folder: Path = Path("backups")
) -> Path:
    """Keep the version table's rows as SQL that puts them back, privately; the file's path."""
    url = make_url(database_url)
    text = "-- the version rows db-stamp replaced; run this to put them back\n"
    text += version_row_sql(url, rows, replace=True)
    target = _target(url, folder, "-alembic_version").with_suffix(".sql")
    write_atomically(target, text, private=True)
    return target


def backup(database_url: str, *, folder: Path = Path("backups")) -> Path:
    """Write a timestamped, verified backup of the database under ``folder``; its path."""
    url = make_url(database_url)
    backend = url.get_backend_name()
    if backend not in SUFFIX:
        raise BackupError(f"no backup method for {backend}")
    if backend == "sqlite":
        sqlite_path(url)  # an in-memory database is refused before anything is made
    target = _target(url, folder, "").with_suffix(SUFFIX[backend])
    partial = target.with_name(f".{target.name}.partial")
    os.close(os.open(partial, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
    try:
        _dump(url, partial)
        verify(backend, partial)
        partial.chmod(0o600)  # a tool may have written it anew
        os.replace(partial, target)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return target
