"""The revision graph as the toolkit reads it: one ``History`` built from Alembic's scripts or
from the cache (``history.cache``), so that the preflight (``run.preflight``) judges a database
the same way whichever it was given.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from alembic.script import Script, ScriptDirectory
from alembic.script.revision import ResolutionError
from alembic.util import to_tuple

from mcpgateway.errors import DuplicateRevision
from mcpgateway.migrate import compat
from mcpgateway.migrate.paths import shown_path
from mcpgateway.migrate.plugins import (
    CORE,
    Plugin,
    declared_revisions,
    discover,
    enabled_plugins,
)
from mcpgateway.migrate.run.checksum import accepted_checksums


def script_directory(config: object) -> ScriptDirectory:
    """The revision scripts an Alembic ``Config`` points at."""
    return ScriptDirectory.from_config(config)  # type: ignore[arg-type]


def is_known(script: ScriptDirectory, rev: str) -> bool:
    """True when some script in ``script`` has revision ``rev``."""
    try:
        return script.revision_map.get_revision(rev) is not None
    except ResolutionError:
        return False


def branch_of(script: ScriptDirectory, rev: str | Script) -> str:
    """The history a revision belongs to: a plugin's name (its branch label), else the core."""
    node = script.get_revision(rev) if isinstance(rev, str) else rev
    labels = set(node.branch_labels) - {CORE}
    return sorted(labels)[0] if labels else CORE


def _roots(parents: Mapping[str, tuple[str, ...]], revision: str) -> frozenset[str]:
    # Follow down_revision only: depends_on links (plugins on core) are not the same history.
    seen: set[str] = set()
    roots: set[str] = set()
    todo = [revision]
    while todo:
        rev = todo.pop()
        if rev in seen:
            continue
        seen.add(rev)
        if not parents[rev]:
            roots.add(rev)
        todo.extend(parents[rev])
    return frozenset(roots)


def forks(heads: Iterable[str], parents: Mapping[str, tuple[str, ...]]) -> list[tuple[str, ...]]:
    """Groups of heads that grew from the same root: each group needs a merge revision."""
    by_root: dict[frozenset[str], list[str]] = {}
    for head in heads:
        by_root.setdefault(_roots(parents, head), []).append(head)
    return [tuple(sorted(group)) for group in by_root.values() if len(group) > 1]


def divergent_heads(script: ScriptDirectory) -> list[tuple[str, ...]]:
    """``forks`` of a script directory."""
    parents = {s.revision: to_tuple(s.down_revision) or () for s in script.walk_revisions()}
    return forks(script.get_heads(), parents)


def require_unique_ids(script: ScriptDirectory) -> None:
    """Refuse a revision id that two files declare: Alembic keeps one of them, with a warning,
    and every later step (heads, merges, stamps) then goes astray."""
    files: dict[str, list[str]] = {}
    for folder in script.version_locations or [script.versions]:
        for path in sorted(Path(folder).rglob("*.py")):
            for rev in declared_revisions(path):
                files.setdefault(rev, []).append(shown_path(path))
    for rev, paths in files.items():
        if len(paths) > 1:
            raise DuplicateRevision(
                f"revision {rev} is declared by {len(paths)} files ({', '.join(paths)}): give "
                'all but one a new id (make db-new MSG="..." writes a fresh one), or delete '
                "the copy"
            )


def add_version_locations(script: ScriptDirectory, folders: Iterable[Path]) -> None:
    """Put plugin version folders into ``script`` (the very object a command holds)."""
    current = list(script.version_locations or [script.versions])
    known = {str(Path(location).resolve()) for location in current}
    extra = [str(folder) for folder in folders if str(folder.resolve()) not in known]
    if extra:
        compat.set_version_locations(script, [*current, *extra])


def include_recorded(script: ScriptDirectory, recorded: Iterable[str]) -> list[Plugin]:
    """Add disabled plugins whose revisions the database records, so Alembic can resolve them.

    Disabling a plugin keeps its tables, data and version row; its history stays readable.
    """
    enabled = {plugin.name for plugin in enabled_plugins()}
    missing = {rev for rev in recorded if not is_known(script, rev)}
    if not missing:
        return []
    parked = [
        plugin
        for plugin in discover().values()
        if plugin.name not in enabled and plugin.revision_ids() & missing
    ]
    add_version_locations(script, (plugin.versions_dir for plugin in parked))
    return parked


@dataclass(frozen=True)
class Node:
    """One revision: its history, its parents, its file, what it depends on elsewhere."""

    revision: str
    history: str
    parents: tuple[str, ...]
    path: str
    depends: tuple[str, ...] = ()  # depends_on: a plugin's first revision on the core's


@dataclass(frozen=True)
class History:
    """Everything the preflight needs of the revision files, and nothing of Alembic."""

    nodes: Mapping[str, Node]
    heads: tuple[str, ...]
    histories: tuple[str, ...]  # report order: the core, then the plugins
    aliases: Mapping[str, str]  # an old revision id -> the id its file declares now
    # Filled for every revision when saved to the cache; computed on demand otherwise.
    checksums: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    def accepted(self, revision: str) -> tuple[str, ...]:
        """The checksums under which ``revision``'s file counts as unchanged."""
        known = self.checksums.get(revision)
        return known if known is not None else accepted_checksums(self.nodes[revision].path)

    @property
    def forks(self) -> list[tuple[str, ...]]:
        """Groups of heads that share a root."""
        return forks(self.heads, {rev: node.parents for rev, node in self.nodes.items()})

    def applied(self, recorded: Iterable[str]) -> set[str]:
        """Every revision the recorded ones stand for: Alembic records only the tips, and a
        plugin's row implies the core revision it depends on."""
        seen: set[str] = set()
        todo = [rev for rev in recorded if rev in self.nodes]
        while todo:
            rev = todo.pop()
            if rev not in seen:
                seen.add(rev)
                todo.extend(self.nodes[rev].parents + self.nodes[rev].depends)
        return seen

    def tips(self, recorded: Iterable[str]) -> dict[str, tuple[str, ...]]:
        """Each history's position: the tips of what is applied in it (empty: base)."""
        applied = self.applied(recorded)
        below = {parent for rev in applied for parent in self.nodes[rev].parents}
        return {
            name: tuple(sorted(r for r in applied - below if self.nodes[r].history == name))
            for name in self.histories
        }

    def with_checksums(self) -> "History":
        """The same history with every checksum computed (what the cache stores)."""
        sums = {rev: self.accepted(rev) for rev in self.nodes}
        return History(self.nodes, self.heads, self.histories, self.aliases, sums)


def history_of(script: ScriptDirectory, histories: Iterable[str]) -> History:
    """The ``History`` of an Alembic script directory (plugin folders already added)."""
    require_unique_ids(script)
    nodes: dict[str, Node] = {}
    aliases: dict[str, str] = {}
    for script_node in script.walk_revisions():
        rev = script_node.revision
        nodes[rev] = Node(
            rev,
            branch_of(script, script_node),
            to_tuple(script_node.down_revision) or (),
            str(Path(script_node.path).resolve()),
            to_tuple(script_node.dependencies) or (),
        )
        for old in getattr(script_node.module, "replaces", ()) or ():
            aliases[str(old)] = rev
    return History(nodes, tuple(sorted(script.get_heads())), tuple(histories), aliases)
