"""The early load on PostgreSQL (``run.early``): the core's schema file sent in one transaction
that only ``run.fresh`` commits, once the file has proved current and the enabled plugins' files
have run in it. What is not committed rolls back: a failure, Ctrl-C (which cancels the statement
on the server), a kill.

Nothing goes to a database that is not empty (or whose current schema is not public), nor while
another runner holds the migration lock: the thread takes the lock's key as a transaction lock
(``run.lock`` takes it per session), then looks again.
"""

import contextlib
from typing import Any

import sqlalchemy as sa

from mcpgateway.config import get_settings
from mcpgateway.migrate.run.early_thread import EarlyLoad
from mcpgateway.migrate.run.probe import PG_LOCK_KEY, is_empty
from mcpgateway.migrate.run.timeouts import set_session_timeouts


class PostgresqlLoad(EarlyLoad):
    """The core's file in one open transaction."""

    _driver: Any = None  # the DBAPI connection, to cancel from the main thread

    def _load(self, text: str, versions: tuple[str, ...]) -> None:
        self.conn = conn = self.engine.connect()
        self._driver = conn.connection.driver_connection
        schema = conn.exec_driver_sql("SELECT current_schema()").scalar()
        lock = sa.text(f"SELECT pg_try_advisory_xact_lock({PG_LOCK_KEY})")
        if not self.claim(conn, lock, lambda: schema == "public" and is_empty(conn)):
            return
        # As a migration's statements: a table lock held elsewhere fails the load (then the
        # revisions run, and say so) rather than wait without end.
        set_session_timeouts(conn, get_settings())
        self.text, self.versions = text, versions
        self.cursor.execute(text)  # no parameters: a '%' in the file is text
        self.state = "sent"

    @property
    def cursor(self) -> Any:
        """A cursor in the open transaction (the DBAPI's own: a '%' in a text is text)."""
        return self._driver.cursor()

    def commit(self) -> None:
        """Commit what was sent, and whatever ran on ``cursor`` after it."""
        if self.conn is None or self.state != "sent":
            raise RuntimeError(f"nothing to commit: the early load is {self.state}")
        self.conn.commit()
        self.state = "committed"

    def cancel(self) -> None:
        if self._driver is not None:
            with contextlib.suppress(Exception):
                self._driver.cancel()
