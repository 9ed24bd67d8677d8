"""What ``db-up``'s early loads share (``run.early``): the core's schema file found as Alembic
would find it, and a thread that sends it to an empty database while this process imports and
checks, stopped from the main thread by Ctrl-C or SIGTERM. Each backend says how it sends and
how it undoes (``run.early_postgresql``, ``run.early_mariadb``); ``run.fresh`` decides whether
what was sent is kept.
"""

import configparser
import contextlib
import re
import threading
import time
from collections.abc import Callable
from pathlib import Path

import sqlalchemy as sa

from mcpgateway.migrate.history.header import FILE_NAMES, current, folders_digest
from mcpgateway.migrate.paths import PATH_SEPARATORS, ini_path
from mcpgateway.migrate.run.interrupts import held_interrupts
from mcpgateway.migrate.run.probe import settings_engine

CANCEL_WAIT = 5.0  # seconds an interrupted load gets to stop before this process goes on
POLL = 0.002  # seconds between looks at whether the thread has ended


def core_paths(backend: str) -> tuple[Path, tuple[Path, ...]] | None:
    """The core's schema file for ``backend`` and its version folders, read from alembic.ini as
    Alembic reads them (``script_location``; ``version_locations`` split on ``path_separator``;
    ``%(here)s`` is the file's folder); None if there is no such file. A misreading costs only
    the early start: ``run.fresh`` keeps nothing but the file it finds current."""
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
    path = Path(location) / "schema" / f"{FILE_NAMES[backend]}.sql"
    return (path, folders or (Path(location) / "versions",)) if path.is_file() else None


class EarlyLoad:
    """The core's schema file, sent by a thread of its own (``_load``, per backend) once it
    checks out: its body is what its header says, db-schema proved it builds what the revisions
    build, and its digest is what the revision files give today."""

    def __init__(self, path: Path, folders: tuple[Path, ...]) -> None:
        self.text = ""  # what was sent: the file as read
        self.versions: tuple[str, ...] = ()  # the heads its header names
        # Then: sent, failed, stale, not empty, busy, declined, stopped; committed.
        self.state = "loading"
        self.error: BaseException | None = None
        self.engine = settings_engine()
        self.conn: sa.Connection | None = None
        self.stop = threading.Event()  # set by the main thread: stop sending, undo
        # Set when the thread has ended; polled, never waited on through a lock: a Ctrl-C that
        # lands inside Event.wait or Thread.join can leave their lock broken (CPython 3.11), so
        # the thread's own set() then blocks for ever, or join returns while it still runs.
        self.ended = False
        thread = threading.Thread(target=self._run, args=(path, folders), daemon=True)
        thread.start()

    def _run(self, path: Path, folders: tuple[Path, ...]) -> None:
        try:
            found = current(path, folders_digest(folders))
            if found is None:
                self.state = "stale"  # edited, unproven or made from other revisions: run.fresh
                return  # says which
            text, header = found
            self._load(text, header.heads)
        except Exception as exc:  # the usual way meets it again, and says what it is
            self.error = exc
            self.state = "failed" if self.text else "declined"
            if not self.text:
                self.close_connection()  # and with it the migration lock, if it was taken
        finally:
            self.ended = True

    def _load(self, text: str, versions: tuple[str, ...]) -> None:
        """Send ``text`` (set ``self.text`` first) and set ``state``; raise on failure."""
        raise NotImplementedError

    def claim(self, conn: sa.Connection, lock: sa.TextClause, empty: Callable[[], bool]) -> bool:
        """Whether the thread may send to ``conn``'s database: it is ``empty()``, the migration
        lock is taken (``lock`` answers true), it is still empty, and nobody asked to stop;
        otherwise the load is declined, saying why."""
        if not empty():
            why = "not empty"
        elif not conn.execute(lock).scalar():
            why = "busy"
        elif not empty():  # another runner built it before we had the lock
            why = "not empty"
        elif self.stop.is_set():
            why = "stopped"
        else:
            return True
        self.decline(why)
        return False

    def decline(self, why: str) -> None:
        """Send nothing: let the connection go, and say why."""
        self.close_connection()
        self.state = why

    def outcome(self) -> str:
        """How the thread ended: sent, failed, stale, not empty, busy or declined."""
        while not self.ended:
            time.sleep(POLL)
        return self.state

    def close_connection(self) -> None:
        """Let the connection go (what a transaction did not commit rolls back)."""
        if self.conn is not None:
            with contextlib.suppress(Exception):  # a broken connection has nothing to keep
                self.conn.close()
            self.conn = None

    def cancel(self) -> None:
        """Ask the server to stop what the thread is sending (PostgreSQL)."""

    def undo(self) -> None:
        """Undo what was sent and not kept; the thread has ended (MariaDB)."""

    def close(self) -> None:
        """Stop a load still running (Ctrl-C), again until the thread has ended; then undo what
        was not kept, and let go. A second Ctrl-C or SIGTERM meanwhile (make passes a SIGTERM
        on to this process, which the group got already) waits until this is done."""
        with held_interrupts():
            self._close()

    def _close(self) -> None:
        self.stop.set()
        for _ in range(int(CANCEL_WAIT / 0.1)):
            if self.ended:
                break
            self.cancel()
            time.sleep(0.1)
        if self.ended:
            if self.state != "committed":
                self.undo()
            self.close_connection()
        self.engine.dispose()  # the server rolls back whatever a connection left open
