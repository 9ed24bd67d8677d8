"""The early load on MariaDB (``run.early``). Its DDL commits as it goes, so the load is marked
as any MariaDB load is (``run.mariadb_load``): the marker names what the file makes before the
first statement runs. ``run.fresh`` finishes it (the plugins' files, the version rows checked,
the marker dropped) once the file has proved current; anything else drops what the marker names
before the revisions run: a failure, a file that did not prove current, Ctrl-C (the clients are
killed first). A kill leaves the marker, and the next ``db-up`` finishes or undoes it.

Nothing goes to a database that is not empty (a marker left by a kill is not), nor while another
runner holds the migration lock: the thread takes it (``GET_LOCK``, as ``run.lock``) and holds it
until the load is kept or undone.
"""

import logging

import sqlalchemy as sa

from mcpgateway.config import get_settings
from mcpgateway.migrate.run import mariadb_load
from mcpgateway.migrate.run.early_thread import EarlyLoad
from mcpgateway.migrate.run.probe import is_empty, mariadb_lock_name, mariadb_try_lock
from mcpgateway.migrate.run.timeouts import set_session_timeouts

log = logging.getLogger(__name__)


class MariadbLoad(EarlyLoad):
    """The core's file, marked and loaded by the ``mariadb`` client; the lock held until the
    load is kept or undone."""

    def _load(self, text: str, versions: tuple[str, ...]) -> None:
        self.conn = conn = self.engine.connect().execution_options(isolation_level="AUTOCOMMIT")
        lock = mariadb_try_lock(mariadb_lock_name(self.engine.url.database))
        if not self.claim(conn, lock, lambda: is_empty(conn)):
            return
        # An undo blocked by a table lock held elsewhere gives up in time, leaving the marker.
        set_session_timeouts(conn, get_settings())
        self.text, self.versions = text, versions
        try:
            mariadb_load.mark(conn, text, versions)
            mariadb_load.load_mariadb(self.url, text, self.stop)
        except Exception:
            self.undo()
            raise
        self.state = "sent"

    @property
    def url(self) -> str:
        """The database's URL, for the ``mariadb`` client (its password goes in MYSQL_PWD)."""
        return self.engine.url.render_as_string(hide_password=False)

    def commit(self) -> None:
        """The load is kept (``run.fresh`` has dropped the marker): let the lock go."""
        if self.conn is None or self.state != "sent":
            raise RuntimeError(f"nothing to keep: the early load is {self.state}")
        self.state = "committed"
        self.close_connection()  # the lock goes with the session

    def undo(self) -> None:
        """Drop what the marker names, if it is there; a failure to is left to the next run."""
        conn = self.conn
        if conn is None or not self.text:
            return
        try:
            if sa.inspect(conn).has_table(mariadb_load.MARKER):
                mariadb_load.undo(conn)
        except Exception as exc:
            log.warning(
                "could not drop what the schema-file load had made (%s); the next make db-up "
                "drops it, as the table %s names it",
                str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__,
                mariadb_load.MARKER,
            )
