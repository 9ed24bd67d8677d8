"""Where the database stands, history by history: the core's and each plugin's."""

from dataclasses import dataclass, field

from alembic.config import Config
from alembic.script import Script, ScriptDirectory

from mcpgateway.config import mask_url
from mcpgateway.errors import UnknownRevision
from mcpgateway.migrate.database import configured_connection
from mcpgateway.migrate.history.graph import (
    History,
    branch_of,
    divergent_heads,
    history_of,
    include_recorded,
    is_known,
    require_unique_ids,
    script_directory,
)
from mcpgateway.migrate.plugins import CORE, enabled_plugins
from mcpgateway.migrate.run import preflight


def require_single_heads(script: ScriptDirectory) -> None:
    """Raise DivergentHeads, naming them, if any history has forked."""
    require_unique_ids(script)
    groups = divergent_heads(script)
    if groups:
        raise preflight.forked_heads(groups)


@dataclass(frozen=True)
class Branch:
    """One history: where the database is on it, its head, and what is left to apply."""

    name: str
    enabled: bool
    current: tuple[str, ...]
    heads: tuple[str, ...]
    pending: tuple[Script, ...]
    applied: int = 0  # how many of its revisions the database has


@dataclass(frozen=True)
class Position:
    """The database's revisions against the scripts' heads, overall and per history."""

    current: tuple[str, ...]
    heads: tuple[str, ...]
    pending: tuple[Script, ...]
    branches: tuple[Branch, ...]
    script: ScriptDirectory = field(compare=False, repr=False)  # plugin folders included
    history: History = field(compare=False, repr=False)  # the same graph, for the preflight

    @property
    def at_head(self) -> bool:
        """True when nothing is left to apply."""
        return not self.pending


def position(config: Config) -> Position:
    """Read the database's revisions and list what ``upgrade heads`` would apply, in order."""
    script = script_directory(config)
    with configured_connection() as connection:
        seen = preflight.observe(connection)
    parked = {plugin.name for plugin in include_recorded(script, seen.recorded)}
    names = [CORE, *(plugin.name for plugin in enabled_plugins()), *sorted(parked)]
    history = history_of(script, names)
    # db-up records the new ids of renamed revisions; reading only, translate them here.
    renames = preflight.renamed(seen.recorded, history)
    current = tuple(renames.get(rev, rev) for rev in seen.recorded)
    for rev in current:
        if not is_known(script, rev):
            raise UnknownRevision(preflight.unknown_recorded_revision(rev))
    overlap = preflight.overlapping(current, history)
    if overlap is not None:
        raise overlap
    heads = tuple(script.get_heads())
    tips = history.tips(current)
    applied = history.applied(current)
    pending = tuple(
        reversed(list(script.iterate_revisions("heads", current or None, implicit_base=True)))
    )
    branches = tuple(
        Branch(
            name=name,
            enabled=name not in parked,
            current=tips[name],
            applied=sum(1 for rev in applied if history.nodes[rev].history == name),
            heads=tuple(rev for rev in heads if branch_of(script, rev) == name),
            pending=tuple(rev for rev in pending if branch_of(script, rev) == name),
        )
        for name in names
    )
    return Position(
        current=current,
        heads=heads,
        pending=pending,
        branches=branches,
        script=script,
        history=history,
    )


def render(where: Position) -> list[str]:
    """db-status's lines: one per history, then one per pending revision."""
    width = max(len(branch.name) for branch in where.branches)
    lines = []
    for branch in where.branches:
        current = ", ".join(branch.current) or "base"
        head = ", ".join(branch.heads) or "none"
        state = f"{len(branch.pending)} pending" if branch.pending else "up to date"
        note = "" if branch.enabled else "  (plugin disabled; tables kept)"
        lines.append(f"{branch.name:<{width}}  current {current}  head {head}  {state}{note}")
    if where.at_head:
        lines.append("pending: none, the database is at head")
    else:
        lines.append(f"pending: {len(where.pending)} (make db-up applies them)")
        lines += [f"  {s.revision}  {_branch_label(s, where)}  {s.doc}" for s in where.pending]
    return lines


def _branch_label(script: Script, where: Position) -> str:
    for branch in where.branches:
        if script in branch.pending:
            return branch.name
    return CORE


def position_line(url: str, where: dict[str, tuple[str, ...]]) -> str:
    """The line db-up (either path), db-down and db-stamp end with: each history's revision."""
    parts = [f"{name} {', '.join(current) or 'base'}" for name, current in where.items()]
    return f"{mask_url(url)} is at " + "; ".join(parts)
