"""``db-up``'s early load on PostgreSQL: the core schema file sent to an empty database by a
thread of its own as soon as the settings name the database, before this process has imported
Alembic, in one transaction that only ``run.fresh`` commits: once the file has proved current
(the digest in its header is the revision files') and the rest of the load (the enabled
plugins' files) has run in it. The server builds the schema while this process imports and
checks.

The thread sends nothing but a file whose body is what its header says, that db-schema proved
builds what the revisions build (its first body line), and whose digest is what the revision
files give today (``run.fresh`` checks again, with Alembic's own reading of alembic.ini);
nothing to a database that is not empty (or whose current schema is not public), nor while
another runner holds the migration lock: it takes the lock's key as a transaction lock
(``run.lock`` takes it per session), then looks again. What is not committed rolls back: a
failure, Ctrl-C (which cancels the statement on the server), a kill.
"""

import configparser
import contextlib
import re
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import make_url

from mcpgateway.config import get_settings
from mcpgateway.migrate.history.header import current, folders_digest
from mcpgateway.migrate.paths import PATH_SEPARATORS, ini_path
from mcpgateway.migrate.run.probe import PG_LOCK_KEY, is_empty, settings_engine
from mcpgateway.migrate.run.timeouts import set_session_timeouts

CANCEL_WAIT = 5.0  # seconds an interrupted load gets to stop before this process goes on


def core_paths() -> tuple[Path, tuple[Path, ...]] | None:
    """The core's PostgreSQL schema file and its version folders, read from alembic.ini as
    Alembic reads them (``script_location``; ``version_locations`` split on ``path_separator``;
    ``%(here)s`` is the file's folder); None if there is no such file. A misreading costs only
    the early start: ``run.fresh`` commits nothing but the file it finds current."""
    ini = ini_path()
    parser = configparser.ConfigParser(defaults={"here": str(ini.absolute().parent)})
    try:
        parser.read(ini, encoding="utf-8")
        location = parser.get("alembic", "script_location", fallback="")
        listed = parser.get("alembic", "version_locations", fallback="")
        separator = parser.get("alembic", "path_separator", fallback="") or parser.get(
            "alembic", "version_path_separator", fallback=""
        )
    except (configparser.Error, OSError, UnicodeDecodeError):
        return None
    if not location or ":" in location or (separator and separator not in PATH_SEPARATORS):
        return None  # a package resource (package:folder), or a separator Alembic refuses
    split = PATH_SEPARATORS.get(separator)
    names = listed.split(split) if split else re.split(r", *|(?: +)", listed)
    folders = tuple(Path(name.strip()) for name in names if name.strip())
    path = Path(location) / "schema" / "postgresql.sql"
    return (path, folders or (Path(location) / "versions",)) if path.is_file() else None


class EarlyLoad:
    """The core PostgreSQL schema file, sent in one open transaction by a thread of its own."""

    def __init__(self, path: Path, folders: tuple[Path, ...]) -> None:
        self.text = ""  # what was sent: the file as read
        self.state = "loading"  # then: sent, failed, stale, not empty, busy, declined, stopped
        self.error: BaseException | None = None
        self._engine = settings_engine()
        self._conn: sa.Connection | None = None
        self._driver: Any = None  # the DBAPI connection, to cancel from the main thread
        self._stop = False
        # Set when the thread has ended. Waited on rather than joined: a Ctrl-C during
        # Thread.join leaves the thread looking ended while it still runs (CPython 3.11).
        self._ended = threading.Event()
        thread = threading.Thread(target=self._send, args=(path, folders), daemon=True)
        thread.start()

    def _send(self, path: Path, folders: tuple[Path, ...]) -> None:
        try:
            found = current(path, folders_digest(folders))
            if found is None:
                self.state = "stale"  # edited, unproven or made from other revisions: run.fresh
                return  # says which
            text = found[0]
            self._conn = conn = self._engine.connect()
            self._driver = conn.connection.driver_connection
            schema = conn.exec_driver_sql("SELECT current_schema()").scalar()
            if schema != "public" or not is_empty(conn):
                self._decline("not empty")
                return
            lock = f"SELECT pg_try_advisory_xact_lock({PG_LOCK_KEY})"
            if not conn.exec_driver_sql(lock).scalar():
                self._decline("busy")
                return
            if not is_empty(conn):  # another runner built it before we had the lock
                self._decline("not empty")
                return
            if self._stop:
                self._decline("stopped")
                return
            # As a migration's statements: a table lock held elsewhere fails the load (then the
            # revisions run, and say so) rather than wait without end.
            set_session_timeouts(conn, get_settings())
            self.text = text
            self.cursor.execute(text)  # no parameters: a '%' in the file is text
            self.state = "sent"
        except Exception as exc:  # the usual way meets it again, and says what it is
            self.error = exc
            self.state = "failed" if self.text else "declined"
        finally:
            self._ended.set()

    def _decline(self, why: str) -> None:
        self.close_connection()
        self.state = why

    @property
    def cursor(self) -> Any:
        """A cursor in the open transaction (the DBAPI's own: a '%' in a text is text)."""
        return self._driver.cursor()

    def outcome(self) -> str:
        """How the thread ended: sent, failed, stale, not empty, busy or declined."""
        self._ended.wait()
        return self.state

    def commit(self) -> None:
        """Commit what was sent, and whatever ran on ``cursor`` after it."""
        if self._conn is None or self.state != "sent":
            raise RuntimeError(f"nothing to commit: the early load is {self.state}")
        self._conn.commit()
        self.state = "committed"

    def close_connection(self) -> None:
        """Roll back whatever is not committed, and let the connection go."""
        if self._conn is not None:
            with contextlib.suppress(Exception):  # a broken connection has nothing to keep
                self._conn.close()
            self._conn = None

    def close(self) -> None:
        """Stop a load still running (Ctrl-C): its statement cancelled on the server, again
        until the thread has ended; then roll back what was not committed, and let go."""
        self._stop = True
        for _ in range(int(CANCEL_WAIT / 0.1)):
            if self._ended.is_set():
                break
            if self._driver is not None:
                with contextlib.suppress(Exception):
                    self._driver.cancel()
            self._ended.wait(0.1)
        if self._ended.is_set():
            self.close_connection()
        self._engine.dispose()  # the server rolls back whatever a connection left open


@contextlib.contextmanager
def early_load() -> Iterator[EarlyLoad | None]:
    """A plain ``db-up``'s early load, if the configured database is PostgreSQL, schema files
    are on and the core has a PostgreSQL file; rolled back on the way out unless committed."""
    settings = get_settings()
    found = core_paths() if settings.migration_schema_files else None
    if found is None or make_url(settings.database_url).get_backend_name() != "postgresql":
        yield None
        return
    early = EarlyLoad(*found)
    try:
        yield early
    finally:
        early.close()
