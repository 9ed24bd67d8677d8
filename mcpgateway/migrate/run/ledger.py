"""A side table of applied revisions: their checksums, and revisions left part-way.

Each applied revision's checksum (``run.checksum``) is recorded when it runs, so an edit made
afterwards is caught. On MariaDB, whose DDL is not transactional, a revision is marked
``running`` as it starts (its first DDL statement commits the mark), so a crash part-way is
reported instead of silently retried. The preflight (``run.preflight``) reads it; nothing else
judges it.
"""

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa
from alembic.runtime.migration import MigrationInfo
from alembic.script import Script
from sqlalchemy.dialects import mysql, postgresql, sqlite

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
RUNNING = "running"  # an upgrade started (non-transactional DDL only)
REVERTING = "reverting"  # a downgrade started (likewise); the row keeps the applied checksum


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


def _ensure(conn: sa.Connection) -> None:
    """Create the ledger if it is not there; asked once per connection, not per revision."""
    if conn.info.get(LEDGER.name) is not conn.connection.dbapi_connection:
        LEDGER.create(conn, checkfirst=True)
        # Keyed by the DBAPI connection: a pooled Connection may wrap another one next time.
        conn.info[LEDGER.name] = conn.connection.dbapi_connection


def rolled_back(conn: sa.Connection) -> None:
    """The transaction that may have created the ledger was rolled back: ask again next time."""
    conn.info.pop(LEDGER.name, None)


def _upsert(conn: sa.Connection, revision: str, digest: str, state: str) -> None:
    """Write ``revision``'s row, replacing one it has: one statement where the dialect has an
    upsert (a replay of hundreds of revisions writes one row each)."""
    _ensure(conn)
    values = {
        "revision": revision,
        "checksum": digest,
        "state": state,
        "recorded_at": datetime.now(UTC),
    }
    changed = ("checksum", "state", "recorded_at")
    name = conn.dialect.name
    if name in ("postgresql", "sqlite"):
        insert = postgresql.insert if name == "postgresql" else sqlite.insert
        upsert = insert(LEDGER).values(values)
        conn.execute(
            upsert.on_conflict_do_update(
                index_elements=[LEDGER.c.revision],
                set_={column: upsert.excluded[column] for column in changed},
            )
        )
    elif name in ("mysql", "mariadb"):
        replace = mysql.insert(LEDGER).values(values)
        conn.execute(replace.on_duplicate_key_update({c: replace.inserted[c] for c in changed}))
    else:
        conn.execute(LEDGER.delete().where(LEDGER.c.revision == revision))
        conn.execute(LEDGER.insert().values(values))


def record_applied(conn: sa.Connection, revision: str, path: str | Path) -> None:
    """Record that ``revision`` ran (or is accepted as it is now), with its file's checksum."""
    _upsert(conn, revision, checksum(path), APPLIED)


def record_step(conn: sa.Connection, step: MigrationInfo) -> None:
    """What one step of a run leaves in the ledger, in the step's own transaction."""
    if step.is_stamp and step.is_upgrade:  # "done": what ran is recorded as it is now
        for script in step.up_revisions:
            if isinstance(script, Script):
                record_stamped(conn, script.revision, script.path)
    elif step.is_stamp:
        for revision_id in step.up_revision_ids:
            forget(conn, revision_id)
    elif step.is_upgrade:
        revision = step.up_revision
        assert isinstance(revision, Script)
        record_applied(conn, revision.revision, revision.path)
    elif step.up_revision_id is not None:
        forget(conn, step.up_revision_id)


def record_stamped(conn: sa.Connection, revision: str, path: str | Path) -> None:
    """A stamp records ``revision`` as done: with its file's checksum now, unless it is
    recorded applied already (its checksum from when it ran stays, so an edit is still seen)."""
    _ensure(conn)
    state = conn.execute(
        sa.select(LEDGER.c.state).where(LEDGER.c.revision == revision)
    ).scalar_one_or_none()
    if state != APPLIED:
        _upsert(conn, revision, checksum(path), APPLIED)


def mark_running(conn: sa.Connection, revision: str, path: str | Path) -> None:
    """Record that ``revision`` is starting (non-transactional DDL only)."""
    _upsert(conn, revision, checksum(path), RUNNING)


def mark_reverting(conn: sa.Connection, revision: str, path: str | Path) -> None:
    """Record that ``revision``'s downgrade is starting, keeping its applied checksum."""
    _ensure(conn)
    done = conn.execute(
        LEDGER.update().where(LEDGER.c.revision == revision).values(state=REVERTING)
    )
    if not done.rowcount:
        _upsert(conn, revision, checksum(path), REVERTING)


def unmark_reverting(conn: sa.Connection, revision: str) -> None:
    """Nothing of the downgrade ran: the revision is applied as before."""
    conn.execute(LEDGER.update().where(LEDGER.c.revision == revision).values(state=APPLIED))


def settle(conn: sa.Connection, applied: set[str]) -> None:
    """After a stamp: rows left mid-way become applied if the stamp kept their revision, and
    every row of a revision the stamp did not keep goes (a stamp down past several revisions
    passes them all, and a later run records them afresh)."""
    if not sa.inspect(conn).has_table(LEDGER.name):
        return
    kept = LEDGER.c.revision.in_(sorted(applied))
    conn.execute(LEDGER.update().where(kept & (LEDGER.c.state != APPLIED)).values(state=APPLIED))
    conn.execute(LEDGER.delete().where(~kept))


def forget(conn: sa.Connection, revision: str) -> None:
    """Drop a reverted revision's row."""
    if sa.inspect(conn).has_table(LEDGER.name):
        conn.execute(LEDGER.delete().where(LEDGER.c.revision == revision))
