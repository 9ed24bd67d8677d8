"""What env.py runs on a connection: checks first, then Alembic, one transaction per revision.

Before migrating (under the migration lock): rename aliased revision ids, drop SQLite batch
leftovers, refuse a revision that stopped part-way on MariaDB, refuse edited applied revisions.
While migrating: lock and statement timeouts, a bounded retry of a revision that timed out on
a table lock, and the ledger (checksums, running markers) kept revision by revision.
"""

import logging
import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from alembic.runtime.environment import EnvironmentContext
from alembic.runtime.migration import MigrationContext, MigrationInfo
from alembic.script import Script, ScriptDirectory
from alembic.util import to_tuple

from mcpgateway.config import Settings, get_settings
from mcpgateway.db import ledger, snapshot
from mcpgateway.db.migrations import current_heads, is_known
from mcpgateway.db.plugins import include_recorded
from mcpgateway.errors import ChecksumMismatch, InterruptedRevision, TableLockTimeout

log = logging.getLogger("mcpgateway.db.runner")
TMP_PREFIX = "_alembic_tmp_"
_TABLE_IN_SQL = re.compile(
    r"\b(?:ALTER\s+TABLE|INDEX\s+\S+\s+ON|DROP\s+TABLE|INSERT\s+INTO|UPDATE)\s+[`\"]?(\w+)",
    re.IGNORECASE,
)


@dataclass
class Progress:
    """The steps of this run and how far it got."""

    steps: list[Any] = field(default_factory=list)
    applied: int = 0
    current: Script | None = None
    statements: int = 0  # sent by the current revision; on MariaDB, >0 means it half-ran


def transactional_ddl(connection: sa.Connection) -> bool:
    """True where a failed revision rolls back whole (PostgreSQL, SQLite as we drive it)."""
    return connection.dialect.name in ("postgresql", "sqlite")


def _end_read(connection: sa.Connection, ours: bool) -> None:
    # A read autobegins a transaction; left open, Alembic would nest in it and never commit.
    if ours and connection.in_transaction():
        connection.commit()


def _apply_aliases(connection: sa.Connection, script: ScriptDirectory) -> None:
    renames = ledger.aliases(script)
    for old in current_heads(connection):
        new = renames.get(old)
        if new and not is_known(script, old):
            connection.execute(
                sa.text("UPDATE alembic_version SET version_num = :new WHERE version_num = :old"),
                {"new": new, "old": old},
            )
            log.warning(
                "revision %s was renamed %s (declared in its file); updated the database", old, new
            )


def _drop_batch_leftovers(connection: sa.Connection) -> None:
    names = sa.inspect(connection).get_table_names()
    for name in names:
        if not name.startswith(TMP_PREFIX):
            continue
        original = name.removeprefix(TMP_PREFIX)
        if original in names:
            connection.exec_driver_sql(f'DROP TABLE "{name}"')
            log.warning("dropped %s, left by an interrupted batch migration of %s", name, original)
        else:
            # The crash came after the original was dropped: the copy is the only data left.
            connection.exec_driver_sql(f'ALTER TABLE "{name}" RENAME TO "{original}"')
            log.warning(
                "restored %s from %s, left by an interrupted batch migration", original, name
            )


def _refuse_interrupted(connection: sa.Connection, script: ScriptDirectory) -> None:
    for revision, when in ledger.running(connection):
        node = script.revision_map.get_revision(revision) if is_known(script, revision) else None
        where = f" ({node.path})" if node is not None else ""
        parents = node.down_revision if node is not None else None
        before = ", ".join(to_tuple(parents)) if parents else "base"
        raise InterruptedRevision(
            f"revision {revision}{where} stopped part-way on {when:%Y-%m-%d %H:%M:%S}: "
            f"{connection.dialect.name} cannot roll DDL back, so some of its statements may "
            f"have run. Compare the schema with make db-sql REV={before}:{revision}, finish or "
            f"undo them by hand, then record the outcome: make db-stamp REV={revision} (done) "
            f"or REV={before} (undone)"
        )


def _refuse_edited(connection: sa.Connection, script: ScriptDirectory) -> None:
    found = ledger.mismatches(connection, script)
    if found:
        listed = "; ".join(m.describe() for m in found)
        raise ChecksumMismatch(
            f"applied revisions were edited: {listed}. Restore them, or accept the edit "
            "deliberately with make db-accept REV=<revision> (make db-verify lists them all)"
        )


def _session_timeouts(connection: sa.Connection, settings: Settings) -> None:
    name = connection.dialect.name
    lock_s, stmt_s = settings.migration_lock_timeout, settings.migration_statement_timeout
    if name == "postgresql":
        connection.exec_driver_sql(f"SET lock_timeout = {int(lock_s * 1000)}")
        connection.exec_driver_sql(f"SET statement_timeout = {int(stmt_s * 1000)}")
    elif name in ("mysql", "mariadb"):
        connection.exec_driver_sql(f"SET SESSION lock_wait_timeout = {max(1, int(lock_s))}")
        connection.exec_driver_sql(f"SET SESSION innodb_lock_wait_timeout = {max(1, int(lock_s))}")
        connection.exec_driver_sql(f"SET SESSION max_statement_time = {stmt_s:g}")
    elif name == "sqlite":
        connection.exec_driver_sql(f"PRAGMA busy_timeout = {int(lock_s * 1000)}")


def is_lock_timeout(exc: sa.exc.DBAPIError) -> bool:
    """A statement gave up waiting for a table lock (not a deadlock, not a statement timeout)."""
    code = getattr(exc.orig, "pgcode", None)
    if code is not None:
        return code == "55P03"
    args = getattr(exc.orig, "args", ())
    if args and args[0] == 1205:
        return True
    return "database is locked" in str(exc.orig)


def _blocked_table(exc: sa.exc.DBAPIError) -> str:
    match = _TABLE_IN_SQL.search(str(exc.statement or ""))
    return match.group(1) if match else "a table"


@contextmanager
def _tracked(
    context: EnvironmentContext, progress: Progress, marker: sa.Engine | None
) -> Iterator[None]:
    migration_context = context.get_context()
    compute = migration_context._migrations_fn  # Alembic's step planner; wrapped to see the plan

    def planned(heads: Any, ctx: Any) -> list[Any]:
        progress.steps = list(compute(heads, ctx)) if compute else []
        _starting(progress, 0, marker)
        return progress.steps

    migration_context._migrations_fn = planned
    yield


def _starting(progress: Progress, index: int, marker: sa.Engine | None) -> None:
    step = progress.steps[index] if index < len(progress.steps) else None
    progress.current = getattr(step, "revision", None) if step is not None else None
    progress.statements = 0
    module = getattr(progress.current, "module", None)
    if step is not None and not getattr(step, "is_upgrade", True) and module is not None:
        lost = getattr(module, "downgrade_loses", ())
        if lost:
            log.warning("downgrading %s discards %s", progress.current.revision, ", ".join(lost))
    if marker is not None and progress.current is not None and getattr(step, "is_upgrade", False):
        with marker.begin() as conn:
            ledger.mark_running(conn, progress.current)


def _ledger_callback(progress: Progress, marker: sa.Engine | None) -> Any:
    def on_version_apply(
        *, ctx: MigrationContext, step: MigrationInfo, heads: Any, run_args: Any
    ) -> None:
        conn = ctx.connection
        assert conn is not None
        if step.is_stamp:
            ledger.clear_running(conn)
        elif step.is_upgrade:
            assert step.up_revision is not None
            ledger.record_applied(conn, step.up_revision)
        else:
            ledger.forget(conn, step.up_revision_id)
        progress.applied += 1
        _starting(progress, progress.applied, marker)

    return on_version_apply


def _lock_timed_out(
    exc: sa.exc.DBAPIError,
    progress: Progress,
    marker: sa.Engine | None,
    settings: Settings,
    *,
    attempt: int,
    attempts: int,
) -> None:
    """Decide after a table-lock timeout: log a retry, or raise with what happened."""
    table = _blocked_table(exc)
    revision = progress.current.revision if progress.current else "the next revision"
    waited = f"could not lock table {table} within {settings.migration_lock_timeout:g}s"
    if marker is not None and progress.statements > 0:
        # Non-transactional DDL and part of the revision ran: a retry would repeat it.
        raise TableLockTimeout(
            f"revision {revision} {waited} after {progress.statements} of its statements had "
            "run; this database cannot roll DDL back, so it was not retried. The next "
            "make db-up reports it with what to check"
        ) from None
    if marker is not None and progress.current is not None:
        with marker.begin() as conn:  # nothing of it ran: no part-way marker to leave
            ledger.forget(conn, progress.current.revision)
    if attempt == attempts:
        undone = "it was rolled back" if marker is None else "nothing of it ran"
        raise TableLockTimeout(
            f"revision {revision} {waited}, {attempts} tries: another transaction holds it; "
            f"{undone}. Revisions before it stay applied. Retry when it ends, or raise "
            "MIGRATION_LOCK_TIMEOUT"
        ) from None
    delay = settings.migration_retry_backoff * 2 ** (attempt - 1)
    log.warning(
        "revision %s timed out waiting for a lock on %s; retry %d/%d in %gs",
        revision,
        table,
        attempt,
        attempts - 1,
        delay,
    )


def run(
    context: EnvironmentContext,
    connection: sa.Connection,
    *,
    options: dict[str, Any],
    command: str | None,
    waited: bool,
) -> None:
    """Check, then run the migrations of ``command`` on ``connection``."""
    settings = get_settings()
    script = context.script
    ours = not connection.in_transaction()
    include_recorded(script, current_heads(connection))
    if command is not None:
        _apply_aliases(connection, script)
        if connection.dialect.name == "sqlite":
            _drop_batch_leftovers(connection)
        if command == "stamp":
            ledger.clear_running(connection)  # the stamp records the outcome deliberately
        else:
            _refuse_interrupted(connection, script)
            _refuse_edited(connection, script)
        _session_timeouts(connection, settings)
    # Decided on the same read, before it ends: a read left open would swallow the run.
    statements = snapshot.applies(context, connection) if command == "upgrade" else None
    _end_read(connection, ours)

    if statements is not None:
        context.configure(connection=connection, transactional_ddl=transactional_ddl(connection))
        snapshot.build_from_script(script, connection, statements)
        return

    progress = Progress()
    # Non-transactional DDL: mark each revision running on a connection of its own first.
    marker = None if transactional_ddl(connection) or command is None else connection.engine

    @sa.event.listens_for(connection, "after_cursor_execute")
    def _count(*_args: Any) -> None:
        progress.statements += 1

    attempts = settings.migration_lock_retries + 1
    for attempt in range(1, attempts + 1):
        context.configure(
            connection=connection,
            transaction_per_migration=True,
            transactional_ddl=transactional_ddl(connection),
            on_version_apply=_ledger_callback(progress, marker),
            **options,
        )
        try:
            with _tracked(context, progress, marker), context.begin_transaction():
                context.run_migrations()
            break
        except sa.exc.DBAPIError as exc:
            if not is_lock_timeout(exc):
                raise
            _lock_timed_out(exc, progress, marker, settings, attempt=attempt, attempts=attempts)
            if ours and connection.in_transaction():
                connection.rollback()
            time.sleep(settings.migration_retry_backoff * 2 ** (attempt - 1))
    if waited and progress.applied == 0 and command == "upgrade":
        log.warning("nothing to do: another runner brought the database up to date while we waited")
