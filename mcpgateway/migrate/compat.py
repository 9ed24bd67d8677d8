"""Every private Alembic name the toolkit touches, each with why, in one place.

CI installs the exact Alembic it tested (constraints.txt), so these cannot move under us
unseen; a new Alembic comes through ``make upgrade-deps`` and the test suite.

Outside the toolkit, one private name of a driver remains: ``mcpgateway/db/session.py`` clears
PyMySQL's ``_read_timeout`` after the handshake (no public setter exists; a long ALTER must
never hit the read timeout that guards the connect).
"""

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any

import alembic.op
from alembic.operations.base import AbstractOperations
from alembic.operations.batch import BatchOperationsImpl
from alembic.operations.ops import MigrateOperation
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.script.revision import RevisionMap

Planner = Callable[[Any, MigrationContext], Iterable[Any]]
VersionApplied = Callable[..., None]  # EnvironmentContext.configure(on_version_apply=...)


def set_version_locations(script: ScriptDirectory, locations: list[str]) -> None:
    """Give a ScriptDirectory more version folders after it was built.

    Why: a command builds its own ScriptDirectory from the Config; env.py (plain ``alembic``)
    and the preflight must add the enabled plugins' folders to that very object. Private:
    ``_version_locations`` (memoized folders) and ``_load_revisions`` (what ``__init__`` hands
    the RevisionMap); the map is rebuilt as ``__init__`` builds it and loads lazily.
    """
    script.version_locations = locations
    script.__dict__.pop("_version_locations", None)
    script.revision_map = RevisionMap(script._load_revisions)


def wrap_planner(context: MigrationContext, wrap: Callable[[Planner], Planner]) -> None:
    """Wrap the function that plans a run's steps.

    Why: the runner must know each step before it runs (to mark it running on MariaDB, to warn
    what a downgrade discards); ``on_version_apply`` only reports a step after it ran. Private:
    ``MigrationContext._migrations_fn``, set from ``EnvironmentContext.configure(fn=...)``.
    """
    planner = context._migrations_fn
    if planner is not None:
        context._migrations_fn = wrap(planner)


def downgrade_steps(script: ScriptDirectory, target: str, current: tuple[str, ...]) -> list[Any]:
    """The steps ``alembic downgrade target`` would take from ``current``.

    Why: before a core step back, db-down names the plugins it would drag down with it.
    Private: ``ScriptDirectory._downgrade_revs``, what ``command.downgrade`` plans with; it
    takes the current heads as a tuple although its annotation says one string.
    """
    return list(script._downgrade_revs(target, current))  # type: ignore[arg-type]


@contextmanager
def intercept_operations(
    on_invoke: Callable[[MigrateOperation], None], on_flush: Callable[[str, bool], bool]
) -> Iterator[None]:
    """See every ``op.*`` call and every batch block of an offline run, for its length only.

    Why: db-lint must know which revision line each operation came from, and whether a SQLite
    batch block copies its table; Alembic has no hook for either. ``on_invoke(operation)`` is
    told each operation; ``on_flush(table, recreates)`` returns False to skip the batch's own
    flush. Patched: ``AbstractOperations.invoke`` and the internal module
    ``alembic.operations.batch``'s ``BatchOperationsImpl.flush``.
    """
    invoke, flush = AbstractOperations.invoke, BatchOperationsImpl.flush

    def recording_invoke(self: AbstractOperations, operation: MigrateOperation) -> Any:
        on_invoke(operation)
        return invoke(self, operation)

    def noting_flush(self: BatchOperationsImpl) -> None:
        recreates = bool(self.operations.impl.requires_recreate_in_batch(self))
        if on_flush(self.table_name, recreates):
            flush(self)

    AbstractOperations.invoke = recording_invoke  # type: ignore[method-assign]
    BatchOperationsImpl.flush = noting_flush  # type: ignore[method-assign]
    try:
        yield
    finally:
        AbstractOperations.invoke = invoke  # type: ignore[method-assign]
        BatchOperationsImpl.flush = flush  # type: ignore[method-assign]


def render_type(type_: Any, autogen_context: Any) -> str:
    """How autogenerate writes ``type_`` into a revision (``sa.Text()``, ``postgresql.JSONB()``),
    adding any import it needs to the revision.

    Why: a custom TypeDecorator is written as what it stores (its ``impl``), so a revision never
    imports the application; the hook that does this must render that type as Alembic would.
    Private: ``alembic.autogenerate.render._repr_type``, what Alembic renders every type with.
    """
    from alembic.autogenerate import render

    return str(render._repr_type(type_, autogen_context))


def is_type_bound(constraint: Any) -> bool:
    """True for a CHECK constraint a type made (an Enum or Boolean with create_constraint).

    Why: autogenerate writes such a CHECK out by its final name instead of leaving it to the
    type (which would name it after the enum, without the naming convention, when the revision
    runs). Private: SQLAlchemy's ``Constraint._type_bound``, which Alembic reads for the same
    reason (``alembic.util.sqla_compat._is_type_bound``).
    """
    return bool(getattr(constraint, "_type_bound", False))


def environment_of(proxy: Any) -> Any:
    """The EnvironmentContext that ``alembic.context`` stands for in this run.

    Why: env.py must know whether this run compares (``revision --autogenerate``, ``check``:
    Alembic passes them a ``revision_context``) or runs revisions; only the context's own
    ``context_opts`` say so, and the module proxy forwards methods, not attributes. Private:
    the ``_proxy`` global Alembic's ModuleClsProxy installs in ``alembic.context``.
    """
    return getattr(proxy, "_proxy", None) or proxy


@contextmanager
def keeping_op_proxy() -> Iterator[None]:
    """Let code run ``Operations.context`` inside a running migration, then give ``alembic.op``
    back to the migration.

    Why: db-up on MariaDB renders each pending revision offline before the first one runs (a
    type the backend cannot compile must stop it before anything is half applied); that render
    installs its own ``op``, and ``Operations.context`` removes it on exit rather than
    restoring the one before. Private: the ``_proxy`` global of ``alembic.op`` and
    ``ModuleClsProxy._install_proxy``.
    """
    outer = getattr(alembic.op, "_proxy", None)
    try:
        yield
    finally:
        if outer is not None:
            outer._install_proxy()
