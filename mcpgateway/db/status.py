"""Where the database stands, history by history: the core's and each plugin's."""

from dataclasses import dataclass, field

from alembic.config import Config
from alembic.script import Script, ScriptDirectory

from mcpgateway.db.ledger import aliases
from mcpgateway.db.migrations import current_heads, is_known
from mcpgateway.db.plugins import enabled_plugins, include_recorded
from mcpgateway.db.registry import CORE
from mcpgateway.errors import DivergentHeads, UnknownRevision


def script_directory(config: Config) -> ScriptDirectory:
    """The revision scripts the config points at."""
    return ScriptDirectory.from_config(config)


def branch_of(script: ScriptDirectory, rev: str | Script) -> str:
    """The history a revision belongs to: a plugin's name (its branch label), else the core."""
    node = script.get_revision(rev) if isinstance(rev, str) else rev
    assert node is not None
    labels = set(node.branch_labels) - {CORE}
    return sorted(labels)[0] if labels else CORE


def _roots(script: ScriptDirectory, revision: str) -> frozenset[str]:
    # Follow down_revision only: depends_on links (plugins on core) are not the same history.
    seen: set[str] = set()
    roots: set[str] = set()
    todo = [revision]
    while todo:
        rev = todo.pop()
        if rev in seen:
            continue
        seen.add(rev)
        node = script.get_revision(rev)
        assert node is not None
        parents = node.down_revision
        if not parents:
            roots.add(node.revision)
        else:
            todo.extend((parents,) if isinstance(parents, str) else parents)
    return frozenset(roots)


def divergent_heads(script: ScriptDirectory) -> list[tuple[str, ...]]:
    """Groups of heads that grew from the same root: each group needs a merge revision."""
    by_root: dict[frozenset[str], list[str]] = {}
    for head in script.get_heads():
        by_root.setdefault(_roots(script, head), []).append(head)
    return [tuple(sorted(heads)) for heads in by_root.values() if len(heads) > 1]


def require_single_heads(script: ScriptDirectory) -> None:
    """Raise DivergentHeads, naming them, if any history has forked."""
    groups = divergent_heads(script)
    if groups:
        named = "; ".join(", ".join(group) for group in groups)
        raise DivergentHeads(
            f"multiple heads: {named}. Two revisions share a parent; "
            'write a merge revision with make db-merge MSG="merge heads", then retry'
        )


@dataclass(frozen=True)
class Branch:
    """One history: where the database is on it, its head, and what is left to apply."""

    name: str
    enabled: bool
    current: tuple[str, ...]
    heads: tuple[str, ...]
    pending: tuple[Script, ...]


@dataclass(frozen=True)
class Position:
    """The database's revisions against the scripts' heads, overall and per history."""

    current: tuple[str, ...]
    heads: tuple[str, ...]
    pending: tuple[Script, ...]
    branches: tuple[Branch, ...]
    script: ScriptDirectory = field(compare=False, repr=False)  # plugin folders included

    @property
    def at_head(self) -> bool:
        """True when nothing is left to apply."""
        return not self.pending


def position(config: Config) -> Position:
    """Read the database's revisions and list what ``upgrade heads`` would apply, in order."""
    script = script_directory(config)
    current = current_heads()
    parked = {plugin.name for plugin in include_recorded(script, current)}
    renames = aliases(script)  # db-up records the new ids; reading only, translate them here
    current = tuple(rev if is_known(script, rev) else renames.get(rev, rev) for rev in current)
    for rev in current:
        if not is_known(script, rev):
            raise UnknownRevision(unknown_recorded_revision(rev))
    heads = tuple(script.get_heads())
    # Alembic records only the tips: a core revision a plugin depends on is implied by the
    # plugin's row. Each history's position is the tip of what is applied in it.
    applied = (
        {rev.revision for rev in script.iterate_revisions(current, "base")} if current else set()
    )
    pending = tuple(
        reversed(list(script.iterate_revisions("heads", current or None, implicit_base=True)))
    )
    names = [CORE, *(plugin.name for plugin in enabled_plugins()), *sorted(parked)]
    branches = tuple(
        Branch(
            name=name,
            enabled=name not in parked,
            current=_tips(script, {rev for rev in applied if branch_of(script, rev) == name}),
            heads=tuple(rev for rev in heads if branch_of(script, rev) == name),
            pending=tuple(rev for rev in pending if branch_of(script, rev) == name),
        )
        for name in names
    )
    return Position(current=current, heads=heads, pending=pending, branches=branches, script=script)


def _tips(script: ScriptDirectory, revisions: set[str]) -> tuple[str, ...]:
    parents: set[str] = set()
    for rev in revisions:
        node = script.get_revision(rev)
        assert node is not None
        down = node.down_revision or ()
        parents.update((down,) if isinstance(down, str) else down)
    return tuple(sorted(revisions - parents))


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


def unknown_recorded_revision(rev: str) -> str:
    """The message for a database that records a revision no script has."""
    return (
        f"the database records revision {rev}, but no file in the version folders has it. "
        "Restore the file (check out the branch that added it, or reinstall the plugin); only "
        "if the schema really matches a known revision, record that one deliberately: "
        "make db-stamp REV=<revision>"
    )


def remember_graph(where: Position) -> None:
    """Write the revision cache the fast path reads (mcpgateway.db.revcache), unless it is
    current already. Not with a disabled plugin's history in the graph: the fast path declines."""
    from mcpgateway.config import get_settings
    from mcpgateway.db import ledger, revcache

    settings = get_settings()
    ini = revcache.ini_path()
    if {b.name for b in where.branches} != {CORE, *settings.plugins}:
        return
    if revcache.load(ini, settings.plugins) is not None:
        return
    script = where.script
    locations = revcache.version_folders(script)
    revisions = {
        rev.revision: (
            branch_of(script, rev),
            (ledger.checksum(rev.path), ledger.legacy_checksum(rev.path)),
        )
        for rev in script.walk_revisions()
    }
    revcache.save(
        ini,
        settings.plugins,
        locations=locations,
        heads=where.heads,
        branches=[b.name for b in where.branches],
        revisions=revisions,
    )
