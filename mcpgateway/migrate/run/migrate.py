"""What env.py runs on a connection: the preflight, then Alembic, one transaction per revision.

Before a change (under the migration lock): the preflight (``run.preflight``) refuses what must
not be migrated and names the repairs; renamed revision ids are moved to their new ids and
SQLite batch leftovers are cleaned up. While migrating: lock and statement timeouts, a bounded
retry of a revision that timed out on a table lock, and the ledger kept revision by revision.
"""

import logging
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from alembic.runtime.environment import EnvironmentContext
from alembic.runtime.migration import MigrationContext, MigrationInfo
from alembic.script import Script, ScriptDirectory

from mcpgateway.config import Settings, get_settings
from mcpgateway.errors import TableLockTimeout, UnknownRevision
from mcpgateway.migrate import compat
from mcpgateway.migrate.history.graph import history_of, include_recorded
from mcpgateway.migrate.options import RunOptions
from mcpgateway.migrate.plugins import CORE, enabled_plugins
from mcpgateway.migrate.run import ledger, preflight
from mcpgateway.migrate.run.precompile import require_compilable
from mcpgateway.migrate.run.timeouts import blocked_table, is_lock_timeout, set_session_timeouts

log = logging.getLogger(__name__)


@dataclass
class Progress:
    """The steps of this run and how far it got."""

    steps: list[Any] = field(default_factory=list)
    applied: int = 0  # over every attempt
    step: Any = None  # the step running now, and its revision
    current: Script | None = None
    statements: int = 0  # sent by the current revision; on MariaDB, >0 means it may have half-run


def transactional_ddl(connection: sa.Connection) -> bool:
    """True where a failed revision rolls back whole (PostgreSQL, SQLite as we drive it)."""
    return connection.dialect.name in ("postgresql", "sqlite")


def _replace_unknown(
    connection: sa.Connection, verdict: preflight.Verdict, options: RunOptions
) -> None:
    """A stamp deletes the recorded revisions no file has, when the user agreed to exactly
    those (db-stamp asks, and saved the rows); else it is refused as before any change."""
    if not verdict.unknown:
        return
    if not set(verdict.unknown) <= set(options.replaces):
        raise UnknownRevision(preflight.unknown_recorded_revision(verdict.unknown[0]))
    for rev in verdict.unknown:
        connection.execute(
            sa.text("DELETE FROM alembic_version WHERE version_num = :rev"), {"rev": rev}
        )
        ledger.forget(connection, rev)
        log.warning("removed recorded revision %s, which no file has", rev)


def _repair(connection: sa.Connection, verdict: preflight.Verdict) -> None:
    for old, new in verdict.renames.items():
        connection.execute(
            sa.text("UPDATE alembic_version SET version_num = :new WHERE version_num = :old"),
            {"new": new, "old": old},
        )
        log.warning(
            "revision %s was renamed %s (declared in its file); updated the database", old, new
        )
    for name in verdict.leftovers:
        original = name.removeprefix(preflight.BATCH_PREFIX)
        if original in sa.inspect(connection).get_table_names():
            connection.exec_driver_sql(f'DROP TABLE "{name}"')
            log.warning("dropped %s, left by an interrupted batch migration of %s", name, original)
        else:
            # The crash came after the original was dropped: the copy is the only data left.
            connection.exec_driver_sql(f'ALTER TABLE "{name}" RENAME TO "{original}"')
            log.warning(
                "restored %s from %s, left by an interrupted batch migration", original, name
            )


def judge(
    script: ScriptDirectory,
    connection: sa.Connection,
    *,
    purpose: preflight.Purpose,
    owned: preflight.Owned | None = None,
) -> preflight.Verdict:
    """The preflight's verdict on ``connection`` against the revision files themselves."""
    seen = preflight.observe(connection)
    parked = include_recorded(script, seen.recorded)
    names = [CORE, *(p.name for p in enabled_plugins()), *(p.name for p in parked)]
    return preflight.examine(seen, history_of(script, names), purpose=purpose, owned=owned)


def check_before(
    context: EnvironmentContext, connection: sa.Connection, options: RunOptions
) -> None:
    """The preflight for ``options.mutation``: refuse, or repair what it names."""
    assert options.mutation is not None
    verdict = judge(
        context.script, connection, purpose=options.mutation, owned=options.owned_tables
    )
    if verdict.refusal is not None:
        raise verdict.refusal
    if options.mutation == "stamp":
        _replace_unknown(connection, verdict, options)
    _repair(connection, verdict)


def _starting(progress: Progress, step: Any, marker: sa.Connection | None) -> None:
    """``step`` is next. On MariaDB its ledger row says so first, written on the migration
    connection just before the step's own transaction adopts it: the revision's first DDL
    commits it (MariaDB commits before each DDL statement, even one that fails)."""
    progress.step = step
    progress.current = current = getattr(step, "revision", None)
    if isinstance(current, Script):
        if not getattr(step, "is_upgrade", True):
            lost = getattr(current.module, "downgrade_loses", ())
            if lost:
                log.warning("downgrading %s discards %s", current.revision, ", ".join(lost))
            if marker is not None:
                ledger.mark_reverting(marker, current.revision, current.path)
        elif marker is not None:
            ledger.mark_running(marker, current.revision, current.path)
    progress.statements = 0  # the revision's own, not the marker's


def _marking(progress: Progress, marker: sa.Connection | None) -> Iterator[Any]:
    for step in progress.steps:
        _starting(progress, step, marker)
        yield step
    progress.step = progress.current = None


def _plan_watcher(progress: Progress, marker: sa.Connection | None) -> Any:
    def wrap(planner: compat.Planner) -> compat.Planner:
        def planned(heads: Any, ctx: MigrationContext) -> Iterable[Any]:
            progress.steps = list(planner(heads, ctx))
            if marker is not None:  # DDL that cannot roll back: refuse before the first step
                require_compilable(progress.steps, ctx.dialect.name, "MariaDB/MySQL")
            return _marking(progress, marker)

        return planned

    return wrap


def _ledger_callback(progress: Progress) -> compat.VersionApplied:
    def on_version_apply(
        *, ctx: MigrationContext, step: MigrationInfo, heads: Any, run_args: Any
    ) -> None:
        assert ctx.connection is not None
        ledger.record_step(ctx.connection, step)
        progress.applied += 1

    return on_version_apply


def _failed(progress: Progress, marker: sa.Connection | None) -> None:
    """The current revision failed and its transaction rolled back. If none of its statements
    had run, its mark goes (a downgrade's revision stays applied). If some had, the mark
    stays, committed: MariaDB may have kept them (DDL, or a table that is not transactional)."""
    current = progress.current
    if marker is None or not isinstance(current, Script):
        return
    upgrade = getattr(progress.step, "is_upgrade", True)
    count = progress.statements
    ran = count > 0
    try:
        if marker.in_transaction():
            marker.rollback()
        if upgrade and ran:
            ledger.mark_running(marker, current.revision, current.path)
        elif upgrade:
            ledger.forget(marker, current.revision)
        elif ran:
            ledger.mark_reverting(marker, current.revision, current.path)
        else:
            ledger.unmark_reverting(marker, current.revision)
        marker.commit()
    except sa.exc.SQLAlchemyError as exc:  # the failure itself is what the user must see
        log.debug("could not settle the mark of %s: %s", current.revision, exc)
    progress.statements = count  # the revision's, not the ledger's writes just now


def _lock_timed_out(
    exc: sa.exc.DBAPIError,
    progress: Progress,
    marker: sa.Connection | None,
    settings: Settings,
    *,
    attempt: int,
    attempts: int,
) -> None:
    """Decide after a table-lock timeout: log a retry, or raise with what happened."""
    table = blocked_table(exc)
    revision = progress.current.revision if progress.current else "the next revision"
    waited = f"could not lock table {table} within {settings.migration_lock_timeout:g}s"
    if marker is not None and progress.statements > 0:
        # Non-transactional DDL and part of the revision ran: a retry would repeat it.
        raise TableLockTimeout(
            f"revision {revision} {waited} after {progress.statements} of its statements had "
            "run; this database cannot roll DDL back, so it was not retried. The next "
            "make db-up reports it with what to check"
        ) from None
    if attempt == attempts:
        tries = f"{attempts} {'try' if attempts == 1 else 'tries'}"
        if progress.current is None:  # the version table, before any revision
            said = f"the run {waited} before its first revision, {tries}: another "
            said += "transaction holds it; nothing was changed"
        else:
            undone = "it was rolled back" if marker is None else "nothing of it ran"
            said = f"revision {revision} {waited}, {tries}: another transaction holds it; "
            said += f"{undone}. Revisions before it stay applied"
        raise TableLockTimeout(
            f"{said}. Retry when it ends, or raise MIGRATION_LOCK_TIMEOUT"
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
    compare: dict[str, Any],
    options: RunOptions,
    waited: bool,
) -> None:
    """Check, then run the migrations on ``connection`` (``compare``: autogenerate's options)."""
    settings = get_settings()
    ours = not connection.in_transaction()
    if options.mutation is None:
        include_recorded(context.script, preflight.observe(connection).recorded)
    else:
        check_before(context, connection, options)
        set_session_timeouts(connection, settings)
    if ours and connection.in_transaction():
        # A read autobegins a transaction; left open, Alembic would nest in it and never commit.
        connection.commit()

    progress = Progress()
    # Non-transactional DDL: each revision is marked running before it starts (``_starting``).
    mutates = options.mutation is not None
    marker = None if transactional_ddl(connection) or not mutates else connection

    @sa.event.listens_for(connection, "after_cursor_execute")
    def _count(*_args: Any) -> None:
        progress.statements += 1

    attempts = settings.migration_lock_retries + 1
    for attempt in range(1, attempts + 1):
        context.configure(
            connection=connection,
            transaction_per_migration=True,
            transactional_ddl=transactional_ddl(connection),
            on_version_apply=_ledger_callback(progress) if mutates else None,
            **compare,
        )
        try:
            with context.begin_transaction():
                compat.wrap_planner(context.get_context(), _plan_watcher(progress, marker))
                context.run_migrations()
            break
        except sa.exc.DBAPIError as exc:
            _failed(progress, marker)
            if not is_lock_timeout(exc):
                raise
            _lock_timed_out(exc, progress, marker, settings, attempt=attempt, attempts=attempts)
            ledger.rolled_back(connection)
            if ours and connection.in_transaction():
                connection.rollback()
            time.sleep(settings.migration_retry_backoff * 2 ** (attempt - 1))
        except BaseException:  # a revision's own error, Ctrl-C, SIGTERM: the mark says so
            _failed(progress, marker)
            raise
    if options.mutation == "stamp":
        # Only now: a stamp that fails (an unknown REV) leaves the marker where it was.
        recorded = preflight.observe(connection).recorded
        applied = {s.revision for s in context.script.iterate_revisions(recorded, "base")}
        ledger.settle(connection, applied if recorded else set())
        if ours and connection.in_transaction():
            connection.commit()
    if waited and progress.applied == 0 and options.mutation == "upgrade":
        log.warning("nothing to do: another runner brought the database up to date while we waited")
