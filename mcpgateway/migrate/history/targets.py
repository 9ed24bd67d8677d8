"""Turns REV and PLUGIN into the revision Alembic should move to, refusing ambiguous ones."""

import re

from alembic.config import Config

from mcpgateway.errors import UnknownRevision, UsageError
from mcpgateway.migrate import compat
from mcpgateway.migrate.history.graph import branch_of, is_known
from mcpgateway.migrate.history.position import position
from mcpgateway.migrate.plugins import CORE, discover, enabled_plugin

_RELATIVE = re.compile(r"^-\d+$")


def upgrade_target(*, rev: str, plugin: str | None) -> str:
    """``heads`` for everything enabled; ``<plugin>@head`` (with the core it needs) for one."""
    if not plugin:
        return rev
    enabled_plugin(plugin)
    return f"{plugin}@head" if rev in ("heads", "head") else rev


def downgrade_target(config: Config, *, rev: str, plugin: str | None) -> str:
    """Where ``db-down`` goes; a plugin's steps stay in its history, the core's in the core's."""
    where = position(config)
    script = where.script
    applied = [branch.name for branch in where.branches if branch.current]
    if plugin:
        if plugin not in discover():
            raise UsageError(f"PLUGIN={plugin}: no plugin has that name (make db-info lists them)")
        if plugin not in applied:
            raise UsageError(f"plugin {plugin} has no applied revision; nothing to step back")
        if _RELATIVE.match(rev) or rev == "base":
            return f"{plugin}@{rev}"
        if not is_known(script, rev):
            raise UnknownRevision(
                f"REV={rev}: no revision {rev!r} exists; make db-history lists them"
            )
        if branch_of(script, rev) != plugin:
            raise UsageError(f"REV={rev} is not in plugin {plugin}'s history (make db-history)")
        return rev
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
