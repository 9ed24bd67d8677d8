"""A side table of applied revisions: their checksums, and revisions left part-way.

Flyway's ``validate``: each applied revision's source is hashed when it runs, so an edit made
afterwards is caught. On MariaDB, whose DDL is not transactional, a revision is marked
``running`` before it starts, so a crash part-way is reported instead of silently retried.
Revision files may also declare ``replaces = ("old_id", ...)``: a database stamped with a
renamed id is moved to the new one.
"""

import hashlib
import io
import tokenize
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa
from alembic.script import Script, ScriptDirectory

from mcpgateway.db.registry import shown_path

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
_LAYOUT = frozenset({tokenize.COMMENT, tokenize.NL, tokenize.ENCODING, tokenize.ENDMARKER})
_STATEMENT_START = frozenset({tokenize.NEWLINE, tokenize.INDENT, tokenize.DEDENT})


def _code_tokens(source: str) -> Iterator[str]:
    """The file's tokens less comments, blank lines, docstrings and descriptive statements."""
    readline = io.StringIO(source).readline
    tokens = [t for t in tokenize.generate_tokens(readline) if t.type not in _LAYOUT]
    skipping, previous = False, tokenize.NEWLINE
    for index, token in enumerate(tokens):
        starts = previous in _STATEMENT_START
        previous = token.type
        if starts and token.type == tokenize.NAME and token.string in DESCRIPTIVE_NAMES:
            skipping = True
        following = tokens[index + 1].type if index + 1 < len(tokens) else tokenize.NEWLINE
        if skipping or (starts and token.type == tokenize.STRING and following == tokenize.NEWLINE):
            skipping = skipping and token.type != tokenize.NEWLINE
            continue  # a docstring, or part of a descriptive statement
        yield token.string if token.type not in _STATEMENT_START else f"<{token.type}>"


# Content hash -> checksum: tokenizing is slow, and a run asks for the same file more than once.
_CHECKSUMS: dict[str, str] = {}


def checksum(path: str | Path) -> str:
    """SHA-256 of a revision's code: comments, blank lines, docstrings and descriptive
    statements (``downgrade_loses``) may change without the revision counting as edited."""
    raw = Path(path).read_bytes()
    content = hashlib.sha256(raw).hexdigest()
    if content not in _CHECKSUMS:
        source = raw.decode("utf-8")
        try:
            code = "\x00".join(_code_tokens(source))
        except (tokenize.TokenError, SyntaxError):
            code = source  # not valid Python: compare the text itself
        _CHECKSUMS[content] = hashlib.sha256(code.encode("utf-8")).hexdigest()
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


def _upsert(conn: sa.Connection, revision: str, digest: str, state: str) -> None:
    LEDGER.create(conn, checkfirst=True)
    conn.execute(LEDGER.delete().where(LEDGER.c.revision == revision))
    conn.execute(
        LEDGER.insert().values(
            revision=revision, checksum=digest, state=state, recorded_at=datetime.now(UTC)
        )
    )


def record_applied(conn: sa.Connection, script: Script) -> None:
    """Record that ``script`` ran, with the checksum of its file now."""
    _upsert(conn, script.revision, checksum(script.path), APPLIED)


def mark_running(conn: sa.Connection, script: Script) -> None:
    """Record that ``script`` is starting (non-transactional DDL only)."""
    _upsert(conn, script.revision, checksum(script.path), RUNNING)


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


def mismatches(conn: sa.Connection, script: ScriptDirectory) -> list[Mismatch]:
    """Every applied revision whose file's checksum differs from the recorded one."""
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


def accept(conn: sa.Connection, script: ScriptDirectory, revisions: list[str]) -> list[str]:
    """Re-record the current checksum of the given applied revisions; returns those changed."""
    changed = []
    for mismatch in mismatches(conn, script):
        if mismatch.revision in revisions and mismatch.path:
            node = script.revision_map.get_revision(mismatch.revision)
            assert node is not None
            record_applied(conn, node)
            changed.append(mismatch.revision)
    return changed


def aliases(script: ScriptDirectory) -> dict[str, str]:
    """Old revision id -> current id, from each revision file's ``replaces``."""
    mapping = {}
    for node in script.walk_revisions():
        for old in getattr(node.module, "replaces", ()) or ():
            mapping[str(old)] = node.revision
    return mapping
