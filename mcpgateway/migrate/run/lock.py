"""One migration lock per database, held for a whole run, so concurrent runners take turns.

PostgreSQL: a session advisory lock on a connection of its own (it survives the migration
connection's transactions and autocommit blocks). MariaDB/MySQL: ``GET_LOCK`` on a connection
of its own. SQLite: ``flock`` on ``<database>.migration-lock`` beside the file; never on the
database file itself, because closing any descriptor of a file drops all of this process's
POSIX locks on it, SQLite's own included.
"""

import contextlib
import fcntl
import logging
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from mcpgateway.config import mask_url
from mcpgateway.errors import LockWaitTimeout, UsageError
from mcpgateway.migrate.database import connect
from mcpgateway.migrate.run.probe import PG_LOCK_KEY, mariadb_lock_name, mariadb_try_lock

POLL_SECONDS = 0.2

log = logging.getLogger(__name__)


def _poll(try_once: Callable[[], bool], *, wait: float, what: str) -> bool:
    """Try until it succeeds or ``wait`` runs out; True when we had to wait."""
    if try_once():
        return False
    if wait > 0:
        log.warning(
            "waiting up to %gs for the migration lock on %s (another runner holds it)", wait, what
        )
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        time.sleep(POLL_SECONDS)
        if try_once():
            return True
    raise LockWaitTimeout(
        f"another runner held the migration lock on {what} for more than {wait:g}s; "
        "let it finish (make db-status shows progress) or raise MIGRATION_LOCK_WAIT"
    )


@contextlib.contextmanager
def _server_lock(engine: Engine, *, wait: float) -> Iterator[bool]:
    backend = engine.url.get_backend_name()
    with connect(engine) as conn:
        conn.execution_options(isolation_level="AUTOCOMMIT")
        if backend == "postgresql":
            acquire = sa.text("SELECT pg_try_advisory_lock(:key)").bindparams(key=PG_LOCK_KEY)
            release = sa.text("SELECT pg_advisory_unlock(:key)").bindparams(key=PG_LOCK_KEY)
        else:
            name = mariadb_lock_name(engine.url.database)
            acquire = mariadb_try_lock(name)
            release = sa.text("SELECT RELEASE_LOCK(:name)").bindparams(name=name)
        waited = _poll(
            lambda: bool(conn.execute(acquire).scalar()), wait=wait, what=mask_url(engine.url)
        )
        try:
            yield waited
        finally:
            with contextlib.suppress(sa.exc.DBAPIError):
                conn.execute(release)


@contextlib.contextmanager
def _file_lock(database: Path, *, wait: float) -> Iterator[bool]:
    path = database.with_name(database.name + ".migration-lock")
    if not path.parent.is_dir():
        raise UsageError(
            f"DATABASE_URL names a SQLite database in {path.parent}, which does not exist; "
            "create the folder or correct the URL"
        )
    with path.open("a+b") as handle:

        def try_once() -> bool:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                return False
            return True

        waited = _poll(try_once, wait=wait, what=str(database))
        try:
            yield waited
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@contextlib.contextmanager
def migration_lock(engine: Engine, *, wait: float) -> Iterator[bool]:
    """Hold the database's migration lock; yields True if another runner made us wait."""
    backend = engine.url.get_backend_name()
    if backend in ("postgresql", "mysql", "mariadb"):
        with _server_lock(engine, wait=wait) as waited:
            yield waited
        return
    database = engine.url.database
    if (
        backend == "sqlite"
        and database
        and database != ":memory:"
        and not database.startswith("file:")
    ):
        with _file_lock(Path(database).resolve(), wait=wait) as waited:
            yield waited
        return
    yield False
