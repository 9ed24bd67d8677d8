"""Throwaway databases on the servers the toolkit compares against: a fresh, empty database
of a backend, dropped afterwards (make bench, make db-schema, db-check). The server is reached
through a URL variable of the caller's (BENCH_POSTGRES_URL, SCHEMA_POSTGRES_URL, ...), by default
the local development servers.

A run that is killed (kill -9) cannot drop its database, so each is made under a lock named for
it, held by the run's own session until the database is dropped: the server lets the lock go
when the session dies. A scratch database whose lock is free was left by a run that is gone; the
next one to make a scratch database on that server drops it.
"""

import logging
import os
import re
import uuid
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import URL, make_url

from mcpgateway.config import mask_url, normalize_database_url
from mcpgateway.errors import DatabaseUnreachable, SettingsError, ToolkitError
from mcpgateway.migrate.run.probe import mariadb_try_lock, pg_lock_key

# The URL schemes (SQLAlchemy backend names) a server of each backend may be named by.
SERVER_KINDS = {
    "postgresql": ("postgresql",),
    "mariadb": ("mysql", "mariadb"),
    "mysql": ("mysql", "mariadb"),
}
log = logging.getLogger(__name__)

NAME = "mcpgw_scratch_{prefix}_{token}"
LEFT = re.compile(r"mcpgw_scratch_[a-z]+_[0-9a-f]{10}")
LIST = {
    "postgresql": "SELECT datname FROM pg_database",
    "mysql": "SELECT schema_name FROM information_schema.schemata",
}
DEFAULT_SERVERS = {
    "postgresql": "postgresql://postgres@127.0.0.1:5432/postgres",
    "mariadb": "mysql://root@127.0.0.1:3306/mysql",
}


def sqlite_url(path: Path) -> str:
    """The URL of the SQLite file ``path``, escaped: a '%', '?' or '#' in a temporary folder's
    path is part of the file's name, not a URL's escape, query or fragment."""
    return URL.create("sqlite", database=str(path)).render_as_string(hide_password=False)


@contextmanager
def scratch_database(
    backend: str, folder: Path, *, variable: str, prefix: str, hint: str = ""
) -> Iterator[str]:
    """A fresh, empty database of ``backend`` (a file in ``folder`` for SQLite, else one made
    on the server ``variable`` names); dropped afterwards. An unreachable server is one
    DatabaseUnreachable naming the variable."""
    if backend == "sqlite":
        path = folder / f"{prefix}-{uuid.uuid4().hex[:8]}.db"
        try:
            yield sqlite_url(path)
        finally:
            for leftover in folder.glob(f"{path.name}*"):
                leftover.unlink()
        return
    try:
        admin_url = make_url(
            normalize_database_url(os.environ.get(variable) or DEFAULT_SERVERS[backend], variable)
        )
    except ValueError as exc:
        raise SettingsError(str(exc)) from None
    got = admin_url.get_backend_name()
    if got not in SERVER_KINDS[backend]:
        raise SettingsError(
            f"{variable} must name a {backend} server "
            f"({' or '.join(f'{kind}://' for kind in SERVER_KINDS[backend])}...), not {got}"
        )
    admin = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool)
    conn: sa.Connection | None = None
    try:
        try:
            conn = admin.connect()
        except sa.exc.OperationalError as exc:
            raise DatabaseUnreachable(
                f"cannot reach {backend} at {mask_url(admin_url)} "
                f"({str(exc.orig).strip().splitlines()[0]}); set {variable}{hint}"
            ) from None
        _drop_left(conn, admin_url)
        for _attempt in range(3):
            name = NAME.format(prefix=prefix, token=uuid.uuid4().hex[:10])
            # Inside the try: an interrupt just as the server makes it still drops it below.
            keeper: sa.Connection | None = None
            try:
                keeper = _made(conn, admin_url, name)
                if keeper is None:
                    continue  # another run's sweep took it in the instant before its lock
                yield admin_url.set(database=name).render_as_string(hide_password=False)
                return
            finally:
                if keeper is not None and keeper is not conn:
                    keeper.close()  # and with its session, the lock
                _drop(conn, name)
        raise ToolkitError(f"could not keep a scratch database on {mask_url(admin_url)}; retry")
    finally:
        if conn is not None:
            conn.close()  # and with the session, a MariaDB lock
        admin.dispose()


def _made(conn: sa.Connection, admin_url: URL, name: str) -> sa.Connection | None:
    """Make the scratch database ``name`` under its lock; the connection holding the lock, or
    None if another session took it first. MariaDB's locks are the server's: taken on ``conn``
    before the database is made. PostgreSQL's are per database: taken in the new database
    itself, where every run looks for it, just after it is made."""
    if conn.dialect.name != "postgresql":
        if not _lock(conn, name):
            return None
        conn.exec_driver_sql(f"CREATE DATABASE {name}")
        return conn
    conn.exec_driver_sql(f"CREATE DATABASE {name}")
    return _lock_in(admin_url, name)


def _lock_in(admin_url: URL, name: str) -> sa.Connection | None:
    """A connection to the PostgreSQL database ``name`` holding its lock; None if another
    session holds it, or the database is gone."""
    engine = sa.create_engine(
        admin_url.set(database=name), isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool
    )
    try:
        keeper = engine.connect()
    except sa.exc.OperationalError:
        return None  # dropped meanwhile by another run's sweep
    if _lock(keeper, name):
        return keeper
    keeper.close()
    return None


def _lock(conn: sa.Connection, name: str) -> bool:
    """Take the lock named for the scratch database ``name`` on this session; False if another
    session holds it."""
    if conn.dialect.name == "postgresql":
        locked = conn.exec_driver_sql(f"SELECT pg_try_advisory_lock({pg_lock_key(name)})")
        return bool(locked.scalar())
    return bool(conn.execute(mariadb_try_lock(name)).scalar())


def _drop(conn: sa.Connection, name: str) -> None:
    force = " WITH (FORCE)" if conn.dialect.name == "postgresql" else ""
    conn.exec_driver_sql(f"DROP DATABASE IF EXISTS {name}{force}")


def _drop_left(conn: sa.Connection, admin_url: URL) -> None:
    """Drop the scratch databases on this server whose maker is gone: their lock is free. The
    lock is held until the database is gone, so a run making one of that name in the same
    instant finds it taken, and makes another. One this login may not drop (another role's, on
    PostgreSQL) is left to its owner."""
    names = [str(row[0]) for row in conn.exec_driver_sql(LIST[conn.dialect.name])]
    for name in filter(LEFT.fullmatch, names):
        if conn.dialect.name == "postgresql":
            keeper = _lock_in(admin_url, name)
        else:
            keeper = conn if _lock(conn, name) else None
        if keeper is None:
            continue
        try:
            _drop(conn, name)  # on PostgreSQL, WITH (FORCE) ends the keeper's session too
        except sa.exc.DBAPIError as exc:
            log.debug("left %s: %s", name, exc.orig)
            continue
        finally:
            if keeper is conn:
                conn.execute(sa.text("SELECT RELEASE_LOCK(:name)"), {"name": name})
            else:
                with suppress(sa.exc.DBAPIError):
                    keeper.close()
        log.warning(
            "dropped %s on %s: a run that was killed had left it there", name, mask_url(admin_url)
        )
