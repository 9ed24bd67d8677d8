"""The checks that run before any change, in one place, for every path that changes or judges
a database: the full run in env.py (under the migration lock) and the at-head answer.

``observe`` reads the database once; ``examine`` judges that reading against a ``History``
(from Alembic's scripts, or from the cache) and says what stands in the way, what needs a
repair first, and whether the database is at head.
"""

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Literal

import sqlalchemy as sa

from mcpgateway.errors import (
    ChecksumMismatch,
    DivergentHeads,
    InterruptedRevision,
    ToolkitError,
    UnknownRevision,
    UnmanagedSchema,
)
from mcpgateway.migrate.history.graph import History, Node
from mcpgateway.migrate.paths import shown_path
from mcpgateway.migrate.plugins import CORE
from mcpgateway.migrate.run import ledger
from mcpgateway.migrate.run.mariadb_load import MARKER

VERSION_TABLE = "alembic_version"
BATCH_PREFIX = "_alembic_tmp_"  # SQLite batch mode's copy of a table being rebuilt
Purpose = Literal["upgrade", "downgrade", "stamp", "read"]
# The tables the models declare, by owner ("core" or a plugin's name), loaded on demand.
Owned = Callable[[], Mapping[str, frozenset[str]]]


@dataclass(frozen=True)
class Observed:
    """One reading of the database: its tables, its version rows, its ledger."""

    tables: frozenset[str]
    recorded: tuple[str, ...]
    ledger: tuple[ledger.Row, ...]
    dialect: str


def observe(connection: sa.Connection) -> Observed:
    """Read what the preflight judges, in one go."""
    tables = frozenset(sa.inspect(connection).get_table_names())
    recorded: tuple[str, ...] = ()
    if VERSION_TABLE in tables:
        query = f"SELECT version_num FROM {VERSION_TABLE}"
        recorded = tuple(sorted(str(row[0]) for row in connection.exec_driver_sql(query)))
    return Observed(tables, recorded, ledger.rows(connection, tables), connection.dialect.name)


@dataclass(frozen=True)
class Mismatch:
    """An applied revision whose file is not what ran."""

    revision: str
    path: str

    def describe(self) -> str:
        """One line naming the revision and its file."""
        return f"{self.revision}: {self.path} changed after it was applied"


@dataclass(frozen=True)
class Verdict:
    """What the preflight found."""

    recorded: tuple[str, ...]  # the version rows, renamed revisions under their new ids
    renames: Mapping[str, str] = field(default_factory=dict)  # repair: recorded id -> new id
    leftovers: tuple[str, ...] = ()  # repair: SQLite batch copies a crash left behind
    unknown: tuple[str, ...] = ()  # recorded revisions no file has (a stamp may replace them)
    refusal: ToolkitError | None = None
    at_head: bool = False

    @property
    def clean(self) -> bool:
        """Nothing refused and nothing to repair."""
        return self.refusal is None and not self.renames and not self.leftovers


def unknown_recorded_revision(rev: str) -> str:
    """The message for a database that records a revision no script has."""
    return (
        f"the database records revision {rev}, but no file in the version folders has it. "
        "Restore the file (check out the branch that added it, or reinstall the plugin); only "
        "if the schema really matches a known revision, record that one instead: "
        "make db-stamp REV=<revision> (it asks first and saves the version rows)"
    )


def forked_heads(groups: list[tuple[str, ...]]) -> DivergentHeads:
    """The error for histories that have forked: each group of heads needs a merge."""
    named = "; ".join(", ".join(group) for group in groups)
    return DivergentHeads(
        f"multiple heads: {named}. Two revisions share a parent; "
        'write a merge revision with make db-merge MSG="merge heads", then retry'
    )


def renamed(recorded: Iterable[str], history: History) -> dict[str, str]:
    """Recorded ids that no file has any more but a file declares it ``replaces``."""
    return {
        rev: history.aliases[rev]
        for rev in recorded
        if rev not in history.nodes and rev in history.aliases
    }


def edited(seen: Observed, history: History) -> list[Mismatch]:
    """Applied revisions whose file's checksum is not the one recorded when they ran."""
    return [
        Mismatch(row.revision, shown_path(history.nodes[row.revision].path))
        for row in seen.ledger
        if row.state == ledger.APPLIED
        and row.revision in history.nodes
        and row.checksum not in history.accepted(row.revision)
    ]


def overlapping(recorded: Iterable[str], history: History) -> UnknownRevision | None:
    """A version row that a later row of the same history already implies (Alembic refuses
    to read such a table at all)."""
    rows = [rev for rev in recorded if rev in history.nodes]
    for rev in rows:
        later = [other for other in rows if other != rev and rev in history.applied([other])]
        if later:
            return UnknownRevision(
                f"the version table records {rev} beside {', '.join(later)}, which already "
                "stand for it: a row written by hand? Nothing was changed. Delete it: "
                f"DELETE FROM {VERSION_TABLE} WHERE version_num = '{rev}'"
            )
    return None


def _unmanaged(
    seen: Observed, history: History, recorded: tuple[str, ...], owned: Owned
) -> UnmanagedSchema | None:
    """A history with no recorded revision whose tables are there already: db-up would fail
    half-way creating them (or, on MariaDB, leave a part-way revision behind)."""
    applied = {history.nodes[rev].history for rev in history.applied(recorded)}
    missing = [name for name in history.histories if name not in applied]
    # Nothing but our own bookkeeping and no plugin: no history's tables can be there, so the
    # models (all of them: slow on a large schema) need not be loaded for a fresh database. With
    # a plugin they are: a plugin reaching into another's tables is refused before anything runs.
    fresh = not seen.tables - {VERSION_TABLE, ledger.LEDGER.name}
    if not missing or (fresh and set(history.histories) == {CORE}):
        return None
    tables = owned()  # loads the models: a broken one is named here, before anything runs
    for name in missing:
        ours = sorted(seen.tables & tables.get(name, frozenset()))
        if not ours:
            continue
        shown = ", ".join(ours[:5]) + (", ..." if len(ours) > 5 else "")
        if not recorded:
            none = "records no revision" if VERSION_TABLE in seen.tables else "no version table"
            return UnmanagedSchema(
                f"the database has tables ({shown}) but {none} ({VERSION_TABLE}): it was not "
                "built by these migrations. Nothing was changed. If its schema matches a "
                "revision, record that deliberately with make db-stamp REV=<revision> "
                "(REV=heads for the latest everywhere), then make db-up"
            )
        return UnmanagedSchema(
            f"{name} has no recorded revision, but its tables ({shown}) are in the database. "
            "Nothing was changed. If they match a revision of it, record that deliberately "
            "with make db-stamp REV=<revision> (make db-history lists them), then make db-up"
        )
    return None


def _refusal(
    seen: Observed,
    history: History,
    recorded: tuple[str, ...],
    purpose: Purpose,
    owned: Owned | None,
) -> ToolkitError | None:
    if MARKER in seen.tables:
        return InterruptedRevision(
            "a schema-file load into this database stopped part-way (its marker table "
            f"{MARKER} is there): make db-up finishes it, or drops what it made and "
            "loads it again"
        )
    if purpose == "upgrade" and history.forks:
        return forked_heads(history.forks)
    if purpose == "stamp":
        return None  # a stamp records the outcome deliberately; it is how the rest is repaired
    for rev in recorded:
        if rev not in history.nodes:
            return UnknownRevision(unknown_recorded_revision(rev))
    overlap = overlapping(recorded, history)
    if overlap is not None:
        return overlap
    # Before the tables check: a history's first revision that stopped part-way leaves
    # tables and no version row, and must be reported as what it is.
    for row in seen.ledger:
        if row.state != ledger.APPLIED:  # running, or anything we did not write
            return _interrupted(row, history)
    if purpose == "upgrade" and owned is not None:
        unmanaged = _unmanaged(seen, history, recorded, owned)
        if unmanaged is not None:
            return unmanaged
    found = edited(seen, history)
    if found:
        listed = "; ".join(m.describe() for m in found)
        return ChecksumMismatch(
            f"applied revisions were edited: {listed}. Restore them, or accept the edit "
            "deliberately with make db-accept REV=<revision> (make db-verify lists them all)"
        )
    return None


def _before(node: Node) -> tuple[str, str | None]:
    """Where db-stamp records "undone" for ``node``, and where db-sql starts to show it alone."""
    if node.parents:
        return ", ".join(node.parents), node.parents[0] if len(node.parents) == 1 else None
    if node.history != CORE:  # a plugin's first revision: its own base, after the core it needs
        return f"{node.history}@base", node.depends[0] if len(node.depends) == 1 else None
    return "base", "base"


def _interrupted(row: ledger.Row, history: History) -> InterruptedRevision:
    node = history.nodes.get(row.revision)
    if node is None:
        return InterruptedRevision(
            f"revision {row.revision} stopped part-way on {row.recorded_at:%Y-%m-%d %H:%M:%S}, "
            "and no enabled history has its file: enable the plugin it belongs to (PLUGINS) "
            "or restore the file, then run make db-up again for what to check and record"
        )
    where = f" ({shown_path(node.path)})"
    undone, start = _before(node)
    if row.state == ledger.REVERTING:
        return InterruptedRevision(
            f"revision {row.revision}{where} stopped part-way while being reverted on "
            f"{row.recorded_at:%Y-%m-%d %H:%M:%S}: some of its downgrade's statements may have "
            "run (DDL here is not rolled back). Finish or undo them by hand, then record the "
            f"outcome: make db-stamp REV={undone} (reverted) or REV={row.revision} (kept)"
        )
    compare = f"make db-sql REV={start}:{row.revision}" if start else "the revision's upgrade()"
    return InterruptedRevision(
        f"revision {row.revision}{where} stopped part-way on {row.recorded_at:%Y-%m-%d %H:%M:%S}:"
        " some of its statements may have run (DDL here is not rolled back). Compare "
        f"the schema with {compare}, finish or undo them by hand, then record the outcome: "
        f"make db-stamp REV={row.revision} (done) or REV={undone} (undone)"
    )


def examine(
    seen: Observed,
    history: History,
    *,
    purpose: Purpose,
    owned: Owned | None = None,
) -> Verdict:
    """Judge ``seen`` against ``history`` for ``purpose``. ``owned``: how to load the tables
    the models declare, called only when some history has no recorded revision (one whose
    tables are there already is refused; loading names a broken model first)."""
    renames = renamed(seen.recorded, history)
    recorded = tuple(sorted({renames.get(rev, rev) for rev in seen.recorded}))
    # Only SQLite's batch mode copies tables; elsewhere such a name is someone else's table.
    batch = seen.dialect == "sqlite"
    leftovers = tuple(sorted(t for t in seen.tables if batch and t.startswith(BATCH_PREFIX)))
    return Verdict(
        recorded=recorded,
        renames=renames,
        leftovers=leftovers,
        unknown=tuple(rev for rev in recorded if rev not in history.nodes),
        refusal=_refusal(seen, history, recorded, purpose, owned),
        at_head=bool(recorded) and set(history.heads) <= history.applied(recorded),
    )
