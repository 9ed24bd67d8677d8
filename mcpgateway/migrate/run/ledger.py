"""A side table of applied revisions: their checksums, and revisions left part-way.

Each applied revision's checksum (``run.checksum``) is recorded when it runs, so an edit made
afterwards is caught. On MariaDB, whose DDL is not transactional, a revision is marked
``running`` on a connection of its own before it starts, so a crash part-way is reported
instead of silently retried. The preflight (``run.preflight``) reads it; nothing else judges it.
"""

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa

from mcpgateway.migrate.run.checksum import checksum

LEDGER = sa.Table(
    "mcpgateway_revisions",
    sa.MetaData(),
    sa.Column("revision", sa.String(64), primary_key=True),
    sa.Column("checksum", sa.String(64), nullable=False),
    sa.Column("state", sa.String(16), nullable=False),
    sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
)
APPLIED = "applied"
RUNNING = "running"


@dataclass(frozen=True)
class Row:
    """One revision the ledger records."""

    revision: str
    checksum: str
    state: str
    recorded_at: datetime


def rows(conn: sa.Connection, tables: set[str] | frozenset[str]) -> tuple[Row, ...]:
    """Every row, if the ledger is among ``tables`` (the names the caller has read)."""
    if LEDGER.name not in tables:
        return ()
    query = sa.select(LEDGER).order_by(LEDGER.c.revision)
    return tuple(Row(r.revision, r.checksum, r.state, r.recorded_at) for r in conn.execute(query))


def _upsert(conn: sa.Connection, revision: str, digest: str, state: str) -> None:
    LEDGER.create(conn, checkfirst=True)
    conn.execute(LEDGER.delete().where(LEDGER.c.revision == revision))
    conn.execute(
        LEDGER.insert().values(
            revision=revision, checksum=digest, state=state, recorded_at=datetime.now(UTC)
        )
    )


def record_applied(conn: sa.Connection, revision: str, path: str | Path) -> None:
    """Record that ``revision`` ran (or is accepted as it is now), with its file's checksum."""
    _upsert(conn, revision, checksum(path), APPLIED)


def mark_running(conn: sa.Connection, revision: str, path: str | Path) -> None:
    """Record that ``revision`` is starting (non-transactional DDL only)."""
    _upsert(conn, revision, checksum(path), RUNNING)


def forget(conn: sa.Connection, revision: str) -> None:
    """Drop a reverted revision's row."""
    if sa.inspect(conn).has_table(LEDGER.name):
        conn.execute(LEDGER.delete().where(LEDGER.c.revision == revision))


def clear_running(conn: sa.Connection) -> None:
    """Forget revisions marked running (or in any state but applied): a stamp that succeeded
    recorded the outcome deliberately."""
    if sa.inspect(conn).has_table(LEDGER.name):
        conn.execute(LEDGER.delete().where(LEDGER.c.state != APPLIED))
