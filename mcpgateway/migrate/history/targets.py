"""Turns REV and PLUGIN into the revision Alembic should move to, refusing ambiguous ones."""

import re

from alembic.config import Config

from mcpgateway.errors import UnknownRevision, UsageError
from mcpgateway.migrate import compat
from mcpgateway.migrate.history.graph import branch_of, is_known, script_directory
from mcpgateway.migrate.history.position import Branch, Position, position
from mcpgateway.migrate.history.revs import is_steps, resolve
from mcpgateway.migrate.plugins import CORE, discover, enabled_plugin, unknown_plugin

_RELATIVE = re.compile(r"^-\d+$")


def _steps(rev: str) -> int | None:
    """``-N`` or ``+N`` as a signed number of steps; None for anything else."""
    return int(rev) if is_steps(rev) else None


def _check_steps(rev: str, branch: Branch) -> None:
    """Refuse a relative REV that walks past either end of ``branch``'s history."""
    steps = _steps(rev)
    if steps == 0:
        raise UsageError(f"REV={rev} moves no revision; REV=-1 or +1 moves one")
    if steps is not None and steps < 0 and -steps > branch.applied:
        raise UnknownRevision(
            f"REV={rev} goes below base ({branch.name} has {branch.applied} applied); "
            "make db-status shows where the database is"
        )
    if steps is not None and steps > 0 and steps > len(branch.pending):
        raise UnknownRevision(
            f"REV={rev} goes past head ({branch.name} has {len(branch.pending)} pending); "
            "make db-status shows where the database is"
        )


def _branch(where: Position, name: str) -> Branch:
    return next(branch for branch in where.branches if branch.name == name)


def upgrade_target(config: Config, *, rev: str, plugin: str | None) -> str:
    """``heads`` for everything enabled; ``<plugin>@head`` (with the core it needs) for one."""
    if plugin:
        enabled_plugin(plugin)
    rev = resolve(script_directory(config), rev)
    if _steps(rev) is not None:
        _check_steps(rev, _branch(position(config), plugin or CORE))
        return f"{plugin or CORE}@{rev}"  # a bare +N is ambiguous once a plugin is there
    if not plugin:
        return rev
    return f"{plugin}@head" if rev in ("heads", "head") else rev


def downgrade_target(config: Config, *, rev: str, plugin: str | None) -> str:
    """Where ``db-down`` goes; a plugin's steps stay in its history, the core's in the core's."""
    where = position(config)
    script = where.script
    rev = resolve(script, rev)
    applied = [branch.name for branch in where.branches if branch.current]
    if plugin:
        if plugin not in discover():
            raise unknown_plugin(plugin)
        if plugin not in applied:
            raise UsageError(f"plugin {plugin} has no applied revision; nothing to step back")
        if _RELATIVE.match(rev) or rev == "base":
            _check_steps(rev, _branch(where, plugin))
            return f"{plugin}@{rev}"
        if not is_known(script, rev):
            raise UnknownRevision(
                f"REV={rev}: no revision {rev!r} exists; make db-history lists them"
            )
        if branch_of(script, rev) != plugin:
            raise UsageError(f"REV={rev} is not in plugin {plugin}'s history (make db-history)")
        return rev
    if _RELATIVE.match(rev):
        _check_steps(rev, _branch(where, CORE))
    if not _RELATIVE.match(rev) or applied in ([], [CORE]):
        return rev
    target = f"{CORE}@{rev}"
    # Alembic computes the steps; a core step that a plugin depends on drags the plugin down too.
    steps = compat.downgrade_steps(script, target, where.current)
    dragged = sorted({branch_of(script, step.revision) for step in steps} - {CORE})
    if dragged:
        raise UsageError(
            f"stepping back the core {rev} would also downgrade plugin {', '.join(dragged)}, "
            f"which depends on it: pass PLUGIN={dragged[0]} to step back that plugin first, "
            "or REV=<revision> to name the exact target"
        )
    return target
