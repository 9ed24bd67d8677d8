"""A side table of applied revisions: their checksums, and revisions left part-way.

Flyway's ``validate``: each applied revision's source is hashed when it runs, so an edit made
afterwards is caught. On MariaDB, whose DDL is not transactional, a revision is marked
``running`` before it starts, so a crash part-way is reported instead of silently retried.
Revision files may also declare ``replaces = ("old_id", ...)``: a database stamped with a
renamed id is moved to the new one.
"""

import ast
import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import sqlalchemy as sa

if TYPE_CHECKING:  # imported without Alembic by the fast path (mcpgateway.db.fastpath)
    from alembic.script import Script, ScriptDirectory

LEDGER = sa.Table(
    "mcpgateway_revisions",
    sa.MetaData(),
    sa.Column("revision", sa.String(64), primary_key=True),
    sa.Column("checksum", sa.String(64), nullable=False),
    sa.Column("state", sa.String(16), nullable=False),
    sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
)
APPLIED = "applied"
RUNNING = "running"


# Statements that describe a revision rather than run it; editing them is not an edit.
DESCRIPTIVE_NAMES = frozenset({"downgrade_loses"})
# Node fields that say where or how code is written, not what it does.
_IGNORED_FIELDS = frozenset({"ctx", "type_comment", "kind"})


def _descriptive(node: ast.stmt) -> bool:
    targets = node.targets if isinstance(node, ast.Assign) else [getattr(node, "target", None)]
    return isinstance(node, ast.Assign | ast.AnnAssign) and any(
        isinstance(t, ast.Name) and t.id in DESCRIPTIVE_NAMES for t in targets
    )


def _docstring(node: ast.stmt) -> bool:
    return (
        isinstance(node, ast.Expr)
        and isinstance(node.value, ast.Constant)
        and isinstance(node.value.value, str)
    )


def _serialize(node: object, out: list[str]) -> None:
    """A stable text form of the syntax tree: node types and the fields that carry meaning.

    Empty and None fields are left out, so a field a newer Python adds to the tree (as 3.12
    added ``type_params``) does not change the result.
    """
    if isinstance(node, ast.AST):
        out.append(f"({type(node).__name__}")
        body = getattr(node, "body", None)
        for name in node._fields:
            if name in _IGNORED_FIELDS:
                continue
            value = getattr(node, name, None)
            if name == "body" and isinstance(body, list) and not isinstance(node, ast.Lambda):
                value = [s for s in body if not _descriptive(s)]
                if value and _docstring(value[0]) and isinstance(node, _HAS_DOCSTRING):
                    value = value[1:]
            if value is None or value == []:
                continue
            out.append(f" {name}=")
            _serialize(value, out)
        out.append(")")
    elif isinstance(node, list):
        out.append("[")
        for item in node:
            _serialize(item, out)
            out.append(",")
        out.append("]")
    else:
        out.append(repr(node))


_HAS_DOCSTRING = (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)

# Content hash -> checksum: a run asks for the same file more than once.
_CHECKSUMS: dict[str, str] = {}


def checksum(path: str | Path) -> str:
    """SHA-256 of what a revision does: its syntax tree, so comments, blank lines, formatting,
    docstrings and descriptive statements (``downgrade_loses``) may change without the revision
    counting as edited."""
    raw = Path(path).read_bytes()
    content = hashlib.sha256(raw).hexdigest()
    if content not in _CHECKSUMS:
        try:
            out: list[str] = []
            _serialize(ast.parse(raw), out)
            code = "".join(out).encode("utf-8")
        except (SyntaxError, ValueError):
            code = raw  # not valid Python: compare the bytes themselves
        _CHECKSUMS[content] = hashlib.sha256(code).hexdigest()
    return _CHECKSUMS[content]


def legacy_checksum(path: str | Path) -> str:
    """What earlier releases recorded: SHA-256 of the whole file, line endings normalized."""
    return hashlib.sha256(Path(path).read_bytes().replace(b"\r\n", b"\n")).hexdigest()


def matches(path: str | Path, recorded: str) -> bool:
    """Whether the file is the one whose checksum was recorded (either way of computing it)."""
    return recorded in (checksum(path), legacy_checksum(path))


def exists(conn: sa.Connection) -> bool:
    """Whether the ledger table is there yet."""
    return sa.inspect(conn).has_table(LEDGER.name)


def _upsert(conn: sa.Connection, rows: list[tuple[str, str, str]]) -> None:
    """Record (revision, checksum, state) rows, replacing what each revision had."""
    LEDGER.create(conn, checkfirst=True)
    now = datetime.now(UTC)
    conn.execute(LEDGER.delete().where(LEDGER.c.revision.in_([row[0] for row in rows])))
    conn.execute(
        LEDGER.insert(),
        [
            {"revision": revision, "checksum": digest, "state": state, "recorded_at": now}
            for revision, digest, state in rows
        ],
    )


def record_all_applied(conn: sa.Connection, checksums: Mapping[str, str]) -> None:
    """Record many revisions (revision -> checksum) as applied at once: a snapshot stands for
    all of them."""
    _upsert(conn, [(revision, digest, APPLIED) for revision, digest in checksums.items()])


def record_applied(conn: sa.Connection, script: "Script") -> None:
    """Record that ``script`` ran, with the checksum of its file now."""
    _upsert(conn, [(script.revision, checksum(script.path), APPLIED)])


def mark_running(conn: sa.Connection, script: "Script") -> None:
    """Record that ``script`` is starting (non-transactional DDL only)."""
    _upsert(conn, [(script.revision, checksum(script.path), RUNNING)])


def forget(conn: sa.Connection, revision: str) -> None:
    """Drop a reverted revision's row."""
    if exists(conn):
        conn.execute(LEDGER.delete().where(LEDGER.c.revision == revision))


def clear_running(conn: sa.Connection) -> None:
    """Forget revisions marked running; db-stamp records the outcome deliberately."""
    if exists(conn):
        conn.execute(LEDGER.delete().where(LEDGER.c.state == RUNNING))


def running(conn: sa.Connection) -> list[tuple[str, datetime]]:
    """Revisions that started and never finished."""
    if not exists(conn):
        return []
    query = sa.select(LEDGER.c.revision, LEDGER.c.recorded_at).where(LEDGER.c.state == RUNNING)
    return [(row.revision, row.recorded_at) for row in conn.execute(query)]


@dataclass(frozen=True)
class Mismatch:
    """An applied revision whose file is not what ran."""

    revision: str
    path: str | None

    def describe(self) -> str:
        """One line naming the revision and its file."""
        if self.path is None:
            return f"{self.revision}: applied, but no file has it any more"
        return f"{self.revision}: {self.path} changed after it was applied"


def mismatches(conn: sa.Connection, script: "ScriptDirectory") -> list[Mismatch]:
    """Every applied revision whose file's checksum differs from the recorded one."""
    from mcpgateway.db.registry import shown_path

    if not exists(conn):
        return []
    query = sa.select(LEDGER.c.revision, LEDGER.c.checksum).where(LEDGER.c.state == APPLIED)
    found = []
    for row in conn.execute(query):
        try:
            node = script.revision_map.get_revision(row.revision)
        except Exception:
            node = None
        if node is None:
            continue  # unknown revisions are reported by the version table's own check
        if not matches(node.path, row.checksum):
            found.append(Mismatch(row.revision, shown_path(str(node.path))))
    return found


def accept(conn: sa.Connection, script: "ScriptDirectory", revisions: list[str]) -> list[str]:
    """Re-record the current checksum of the given applied revisions; returns those changed."""
    changed = []
    for mismatch in mismatches(conn, script):
        if mismatch.revision in revisions and mismatch.path:
            node = script.revision_map.get_revision(mismatch.revision)
            assert node is not None
            record_applied(conn, node)
            changed.append(mismatch.revision)
    return changed


def aliases(script: "ScriptDirectory") -> dict[str, str]:
    """Old revision id -> current id, from each revision file's ``replaces``."""
    mapping = {}
    for node in script.walk_revisions():
        for old in getattr(node.module, "replaces", ()) or ():
            mapping[str(old)] = node.revision
    return mapping
