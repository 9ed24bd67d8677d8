"""``db-backup`` and ``db-restore``: the database's own tools, or SQLite's online backup API.

Passwords reach pg_dump and mariadb-dump through their environment (PGPASSWORD, MYSQL_PWD),
never the command line, where ``ps`` would show them.
"""

import os
import shutil
import sqlite3
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import URL, make_url

from mcpgateway.db.session import create_db_engine
from mcpgateway.errors import BackupError, UsageError
from mcpgateway.migrate.database import connect

SUFFIX = {"postgresql": ".dump", "mysql": ".sql", "mariadb": ".sql", "sqlite": ".sqlite"}


def client_tool(name: str) -> str:
    """The path of one of the database's client tools (pg_dump, psql, mariadb...)."""
    path = shutil.which(name)
    if path is None:
        raise BackupError(f"{name} is not installed; install the database's client tools")
    return path


def _run(
    argv: list[str], env: dict[str, str], *, stdin: Path | None = None, out: Path | None = None
) -> None:
    with (
        stdin.open("rb") if stdin else open(os.devnull, "rb") as source,
        out.open("wb") if out else open(os.devnull, "wb") as sink,
    ):
        result = subprocess.run(
            argv, stdin=source, stdout=sink, stderr=subprocess.PIPE, env=env, check=False
        )
    if result.returncode != 0:
        reason = result.stderr.decode(errors="replace").strip().splitlines()
        raise BackupError(f"{Path(argv[0]).name} failed: {reason[-1] if reason else 'no message'}")


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
    return args, env


def _sqlite_path(url: URL) -> Path:
    if not url.database or url.database == ":memory:":
        raise UsageError("an in-memory SQLite database cannot be backed up")
    return Path(url.database)


def backup(database_url: str, *, folder: Path = Path("backups")) -> Path:
    """Write a timestamped backup of the database under ``folder``; returns its path."""
    url = make_url(database_url)
    backend = url.get_backend_name()
    folder.mkdir(parents=True, exist_ok=True)
    name = Path(url.database or "database").stem
    target = folder / f"{name}-{datetime.now(UTC):%Y%m%d-%H%M%S-%f}{SUFFIX.get(backend, '')}"
    if backend == "postgresql":
        args, env = client_options(url)
        _run(
            [
                client_tool("pg_dump"),
                *args,
                "--format=custom",
                "--no-owner",
                "-f",
                str(target),
                url.database or "",
            ],
            env,
        )
    elif backend in ("mysql", "mariadb"):
        args, env = client_options(url)
        dump = [
            client_tool("mariadb-dump"),
            *args,
            "--single-transaction",
            "--routines",
            "--triggers",
        ]
        _run([*dump, url.database or ""], env, out=target)
    elif backend == "sqlite":
        source = _sqlite_path(url)
        if not source.exists():
            raise BackupError(f"{source} does not exist; nothing to back up")
        with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
            src.backup(dst)
    else:
        raise BackupError(f"no backup method for {backend}")
    return target


def _drop_all_tables(database_url: str) -> None:
    engine = create_db_engine(url=database_url, sqlite_foreign_keys=False, pooled=False)
    try:
        with connect(engine) as conn:
            metadata = sa.MetaData()
            metadata.reflect(conn)
            if conn.dialect.name in ("mysql", "mariadb"):
                conn.exec_driver_sql("SET FOREIGN_KEY_CHECKS = 0")
            for table in reversed(metadata.sorted_tables):
                conn.execute(sa.schema.DropTable(table, if_exists=True))
            conn.commit()
    finally:
        engine.dispose()


def restore(database_url: str, source: Path) -> None:
    """Replace the database's contents with the backup ``source``."""
    if not source.is_file():
        raise UsageError(f"FILE={source} does not exist")
    url = make_url(database_url)
    backend = url.get_backend_name()
    expected = SUFFIX.get(backend)
    if expected and source.suffix != expected:
        raise UsageError(f"FILE={source} is not a {backend} backup (expected a {expected} file)")
    if backend == "sqlite":
        with sqlite3.connect(source) as src, sqlite3.connect(_sqlite_path(url)) as dst:
            src.backup(dst)
        return
    _drop_all_tables(database_url)
    if backend == "postgresql":
        args, env = client_options(url)
        _run(
            [client_tool("pg_restore"), *args, "--no-owner", "-d", url.database or "", str(source)],
            env,
        )
    else:
        args, env = client_options(url)
        _run([client_tool("mariadb"), *args, url.database or ""], env, stdin=source)
