"""Every private Alembic name the toolkit touches, each with why, in one place.

CI installs the exact Alembic it tested (constraints.txt), so these cannot move under us
unseen; a new Alembic comes through ``make upgrade-deps`` and the test suite.
"""

from collections.abc import Callable, Iterable
from typing import Any

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
