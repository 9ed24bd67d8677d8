"""A MariaDB schema file loaded by the ``mariadb`` client: its CREATE TABLE statements shared
among several clients at once, then the rest of the file on one (``run.schema_load`` decides
when, and undoes it on failure). The file's own first lines turn foreign key checks off, and
DDL waits on the disk, so the waits overlap."""

import os
import re
import tempfile
from pathlib import Path

from mcpgateway.migrate.clients import run_script, run_scripts

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


def load_mariadb(url: str, text: str) -> None:
    """The tables on several clients at once, then the rest on one (``split_tables``)."""
    tables, rest = split_tables(text)
    with tempfile.TemporaryDirectory() as folder:
        scripts = [Path(folder) / f"tables-{i}.sql" for i in range(len(tables))]
        for script, part in zip(scripts, tables, strict=True):
            script.write_text(part, encoding="utf-8")
        run_scripts(url, scripts)
        last = Path(folder) / "rest.sql"
        last.write_text(rest, encoding="utf-8")
        run_script(url, last)
