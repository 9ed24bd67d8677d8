"""``db-backup`` and ``db-restore``: the database's own tools, or SQLite's online backup API.

Passwords reach pg_dump and mariadb-dump through their environment (PGPASSWORD, MYSQL_PWD),
never the command line, where ``ps`` would show them. A backup holds every row (password
hashes too): its folder is 0700 and each file 0600. It is written under a hidden partial name,
checked (pg_restore reads its table of contents; a MariaDB dump ends with the tool's
completion line; a SQLite copy passes ``PRAGMA integrity_check``), and only then renamed into
place; a backup that fails leaves nothing behind.
"""

import ctypes
import os
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import URL, make_url

from mcpgateway.config import get_settings
from mcpgateway.db.session import create_db_engine
from mcpgateway.errors import BackupError, UsageError
from mcpgateway.migrate.database import connect
from mcpgateway.migrate.paths import write_atomically

SUFFIX = {"postgresql": ".dump", "mysql": ".sql", "mariadb": ".sql", "sqlite": ".sqlite"}


def client_tool(name: str) -> str:
    """The path of one of the database's client tools (pg_dump, psql, mariadb...)."""
    path = shutil.which(name)
    if path is None:
        raise BackupError(f"{name} is not installed; install the database's client tools")
    return path


def _die_with_parent() -> None:
    """In the child, before it runs the tool: Linux kills it if this process dies (kill -9),
    so a client never goes on changing a database after the run that started it is gone."""
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)


PR_SET_PDEATHSIG = 1


def run_tool(
    argv: list[str], env: dict[str, str], *, stdin: Path | None = None, out: Path | None = None
) -> None:
    """Run a client tool; its last line of stderr becomes one BackupError if it fails."""
    with (
        stdin.open("rb") if stdin else open(os.devnull, "rb") as source,
        out.open("wb") if out else open(os.devnull, "wb") as sink,
    ):
        result = subprocess.run(
            argv,
            stdin=source,
            stdout=sink,
            stderr=subprocess.PIPE,
            env=env,
            check=False,
            preexec_fn=_die_with_parent,
        )
    if result.returncode != 0:
        text = result.stderr.decode(errors="replace")
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        # The client's own error line first ("ERROR 1064 ...", "psql:...: ERROR:  ..."): a
        # line merely containing the word (SQL echoed back, a column named error_message) is not.
        errors = [line for line in lines if re.search(r"\bERROR\b", line)]
        errors = errors or [line for line in lines if "error" in line.lower()] or lines
        reason = errors[0] if errors else f"it exited with {result.returncode}, no message"
        raise BackupError(f"{Path(argv[0]).name} failed: {reason}")


def run_script(url: str, sql: Path) -> None:
    """Feed ``sql`` to the server's own client (psql, mariadb), stopping at the first error."""
    parsed = make_url(url)
    args, env = client_options(parsed)
    if parsed.get_backend_name() == "postgresql":
        client = [client_tool("psql"), *args, "-X", "-q", "-v", "ON_ERROR_STOP=1"]
    else:
        client = [client_tool("mariadb"), *args]
    run_tool([*client, str(parsed.database)], env, stdin=sql)


# Per server: the port and user flags, their defaults, and the variable the password goes in.
CLIENT_FLAGS = {
    "postgresql": ("-p", 5432, "-U", "postgres", "PGPASSWORD"),
    "mysql": ("-P", 3306, "-u", "root", "MYSQL_PWD"),
    "mariadb": ("-P", 3306, "-u", "root", "MYSQL_PWD"),
}


def client_options(url: URL) -> tuple[list[str], dict[str, str]]:
    """Host, port and user flags for the server's client tools, and an environment carrying the
    password (never the command line)."""
    port_flag, port, user_flag, user, password_variable = CLIENT_FLAGS[url.get_backend_name()]
    args = ["-h", url.host or "localhost", port_flag, str(url.port or port)]
    args += [user_flag, url.username or user]
    env = {**os.environ, **({password_variable: str(url.password)} if url.password else {})}
    # A server that accepts and never answers must not hang the tool for ever. mariadb-dump
    # takes no connect timeout at all: _dump() asks the server first, with our own timeout.
    env["PGCONNECT_TIMEOUT"] = str(get_settings().database_connect_timeout)
    return args, env


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
