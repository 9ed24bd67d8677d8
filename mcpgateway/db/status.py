"""Where the database stands against the revision scripts: current, heads, pending, branches."""

from dataclasses import dataclass

from alembic.config import Config
from alembic.script import Script, ScriptDirectory
from alembic.script.revision import ResolutionError

from mcpgateway.db.migrations import current_heads
from mcpgateway.errors import DivergentHeads, UnknownRevision


def script_directory(config: Config) -> ScriptDirectory:
    """The revision scripts the config points at."""
    return ScriptDirectory.from_config(config)


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
class Position:
    """The database's revisions against the scripts' heads."""

    current: tuple[str, ...]
    heads: tuple[str, ...]
    pending: tuple[Script, ...]

    @property
    def at_head(self) -> bool:
        """True when nothing is left to apply."""
        return not self.pending


def position(config: Config) -> Position:
    """Read the database's revisions and list what ``upgrade heads`` would apply, in order."""
    script = script_directory(config)
    current = current_heads()
    for rev in current:
        if not is_known(script, rev):
            raise UnknownRevision(unknown_recorded_revision(rev))
    pending = script.iterate_revisions("heads", current or None, implicit_base=True)
    return Position(
        current=current,
        heads=tuple(script.get_heads()),
        pending=tuple(reversed(list(pending))),
    )


def is_known(script: ScriptDirectory, rev: str) -> bool:
    """True when some script has revision ``rev``."""
    try:
        return script.get_revision(rev) is not None
    except ResolutionError:
        return False


def unknown_recorded_revision(rev: str) -> str:
    """The message for a database that records a revision no script has."""
    return (
        f"the database records revision {rev}, but no file in the version folders has it. "
        "Restore the file (check out the branch that added it); only if the schema really "
        "matches a known revision, record that one deliberately: make db-stamp REV=<revision>"
    )
