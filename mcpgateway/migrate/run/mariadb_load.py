"""A MariaDB schema file loaded by the ``mariadb`` client: its CREATE TABLE statements shared
among several clients at once, then the rest of the file on one (``run.schema_load`` and
``run.early`` decide when). The file's own first lines turn foreign key checks off, and DDL
waits on the disk, so the waits overlap.

MariaDB's DDL cannot roll back, so a load is marked: a table naming every table, view and routine
it makes, and the version rows it ends with, written before the first statement and dropped
after the last. ``undo`` drops what the marker names; ``run.schema_load.recover`` finishes or
undoes a load that a kill stopped part-way. Importable before Alembic is (``run.early``).
"""

import os
import re
import tempfile
import threading
from pathlib import Path

import sqlalchemy as sa

from mcpgateway.migrate.clients import run_scripts
from mcpgateway.migrate.run.probe import MARIADB_OBJECTS

MARKER = "mcpgateway_schema_load"
_NAME = r"`((?:[^`]|``)+)`"
# The tables a file writes rows into: mariadb-dump's INSERT INTO `name`, and the version and ledger
# rows it ends with, INSERT INTO name.
_FILLS = re.compile(rf"^INSERT INTO (?:{_NAME}|(\w+))", re.M)
_MADE = {
    "table": re.compile(rf"^CREATE TABLE {_NAME}", re.M),
    "view": re.compile(rf"^/\*!50001 VIEW {_NAME} AS", re.M),
    "function": re.compile(rf"^CREATE\s+FUNCTION {_NAME}", re.M),
    "procedure": re.compile(rf"^CREATE\s+PROCEDURE {_NAME}", re.M),
}

# One table as mariadb-dump writes it: its CREATE TABLE (indented lines, then the closing one)
# between the client character-set lines. Its rows and triggers follow it outside this block (a
# literal in a dump never spans lines); anything else (a partitioned table) stays in the rest.
_TABLE_BLOCK = re.compile(
    r"^/\*!40101 SET @saved_cs_client +?= @@character_set_client \*/;\n"
    r"/\*!40101 SET character_set_client = \w+ \*/;\n"
    r"CREATE TABLE `[^\n]*\n(?:  [^\n]*\n)*\)[^\n]*;\n"
    r"/\*!40101 SET character_set_client = @saved_cs_client \*/;\n",
    re.M | re.S,
)
# The file's opening: its header comments and the session SET lines before the first object.
_OPENING = re.compile(r"(?:--[^\n]*\n|/\*!\d+ SET (?!@saved_cs_client)[^\n]*\*/;\n)*")
# The CREATE TABLE statements go to this many clients at once.
STREAMS = max(1, min(4, os.cpu_count() or 1))


def split_tables(text: str, streams: int = STREAMS) -> tuple[list[str], str]:
    """A MariaDB schema file as ``streams`` scripts of its CREATE TABLE statements, each with the
    file's opening SET lines, and the rest of the file in its own order (rows, triggers, views,
    routines, then the version rows), which is loaded once they all have run. Each keeps every
    line where the file has it (what it leaves out is blank lines), so the client's "at line N"
    is the file's."""
    blocks = list(_TABLE_BLOCK.finditer(text))
    if not blocks:
        return [], text
    opening = _OPENING.match(text)
    assert opening is not None  # it matches the empty string

    def blank(piece: str) -> str:
        return "\n" * piece.count("\n")

    parts = []
    for stream in range(min(streams, len(blocks))):
        pieces, end = [opening.group()], opening.end()
        for index, block in enumerate(blocks):
            pieces.append(blank(text[end : block.start()]))
            pieces.append(block.group() if index % streams == stream else blank(block.group()))
            end = block.end()
        parts.append("".join(pieces))
    return parts, _TABLE_BLOCK.sub(lambda block: blank(block.group()), text)


def load_mariadb(url: str, text: str, stop: threading.Event | None = None) -> None:
    """The tables on several clients at once, then the rest on one (``split_tables``); the
    clients are killed if ``stop`` is set (Ctrl-C, from another thread)."""
    tables, rest = split_tables(text)
    with tempfile.TemporaryDirectory() as folder:
        scripts = [Path(folder) / f"tables-{i}.sql" for i in range(len(tables))]
        for script, part in zip(scripts, tables, strict=True):
            script.write_text(part, encoding="utf-8")
        run_scripts(url, scripts, stop)
        last = Path(folder) / "rest.sql"
        last.write_text(rest, encoding="utf-8")
        run_scripts(url, [last], stop)


def made_by(text: str) -> list[tuple[str, str]]:
    """The tables, views and routines a MariaDB schema file makes (a table's triggers go with
    it), as (kind, name)."""
    return [
        (kind, match.replace("``", "`"))
        for kind, pattern in _MADE.items()
        for match in pattern.findall(text)
    ]


class NotOnlyTheLoads(Exception):
    """The database holds what the marked load does not make: nothing is dropped."""


def mark(conn: sa.Connection, text: str, versions: tuple[str, ...]) -> None:
    """Write the marker: what ``text`` makes and the version rows the load will end with.
    First, a DROP of a table that is not there: a load that cannot drop cannot undo itself, so
    a server that refuses it refuses the load before anything is made. ``conn`` autocommits."""
    conn.exec_driver_sql(f"DROP TABLE IF EXISTS {MARKER}_probe")
    conn.exec_driver_sql(
        f"CREATE TABLE {MARKER} (kind VARCHAR(16) NOT NULL, name VARCHAR(64) NOT NULL)"
    )
    add_to_marker(conn, text, versions)


def add_to_marker(conn: sa.Connection, text: str, versions: tuple[str, ...]) -> None:
    """Add to the marker what ``text`` makes and more version rows the load will end with."""
    insert = sa.text(f"INSERT INTO {MARKER} (kind, name) VALUES (:kind, :name)")
    filled = {match.replace("``", "`") for pair in _FILLS.findall(text) for match in pair if match}
    named = [
        *made_by(text),
        *(("filled", name) for name in sorted(filled)),
        *(("version", rev) for rev in versions),
    ]
    if named:
        conn.execute(insert, [{"kind": kind, "name": name} for kind, name in named])


def marked(conn: sa.Connection) -> list[tuple[str, str]]:
    """What the marker names, as (kind, name); a version row's kind is "version"."""
    rows = conn.exec_driver_sql(f"SELECT kind, name FROM {MARKER}")
    return [(str(kind), str(name)) for kind, name in rows]


def undo(conn: sa.Connection) -> int:
    """Drop what the marker names (views first), then the marker; how many of those tables,
    views and routines were there. Only if all of it can be the load's (else NotOnlyTheLoads,
    and nothing is dropped): the marker names nothing but what a load makes, the database holds
    nothing the marker does not name (another program's table, a sequence), and no table holds
    rows where the load writes none (a table of the same name made by someone else)."""
    rows = marked(conn)
    strange = sorted({kind for kind, _name in rows} - {*_MADE, "version", "filled"})
    if strange:
        raise NotOnlyTheLoads(
            f"the table {MARKER} names what no load makes ({', '.join(strange)}), so nothing "
            "was dropped"
        )
    made = [(kind, name) for kind, name in rows if kind in _MADE]
    there = {str(row[0]) for row in conn.exec_driver_sql(MARIADB_OBJECTS)}
    quote = conn.dialect.identifier_preparer.quote
    others = sorted(there - {name for _kind, name in made} - {MARKER})
    filled = {name for kind, name in rows if kind == "filled"}
    if filled:  # a marker written before the load said where it writes rows checks nothing
        others += [
            f"{name} (its rows)"
            for kind, name in made
            if kind == "table" and name in there and name not in filled
            if conn.exec_driver_sql(f"SELECT 1 FROM {quote(name)} LIMIT 1").first()
        ]
    if others:
        shown = ", ".join(others[:3]) + (f" and {len(others) - 3} more" if len(others) > 3 else "")
        raise NotOnlyTheLoads(
            f"the database also holds what the load does not make ({shown}), so nothing was "
            f"dropped; the table {MARKER} names what the load makes"
        )
    conn.exec_driver_sql("SET FOREIGN_KEY_CHECKS=0")
    try:
        for kind, name in sorted(made, key=lambda item: item[0] != "view"):
            conn.exec_driver_sql(f"DROP {kind.upper()} IF EXISTS {quote(name)}")
    finally:
        conn.exec_driver_sql("SET FOREIGN_KEY_CHECKS=1")
    conn.exec_driver_sql(f"DROP TABLE {MARKER}")
    return sum(1 for _kind, name in made if name in there)
