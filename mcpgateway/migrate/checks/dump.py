"""What a database ends up as, in the database's own words: its schema dumped by its own tool
(``pg_dump -s``, ``mariadb-dump --no-data``, SQLite's ``sqlite_master``) with the version
table's rows, normalised so that two databases built alike compare equal byte for byte. Used
to prove that a fresh database equals a step-by-step one, and by make bench."""

import re
import sqlite3
import subprocess
from pathlib import Path

from sqlalchemy.engine import URL, make_url

from mcpgateway.errors import ToolkitError
from mcpgateway.migrate.backup import client_options, client_tool, version_row_sql

_PG_NOISE = re.compile(r"^(--.*|SET .*|SELECT pg_catalog\.set_config.*|\\(un)?restrict .*)$")


def _run(argv: list[str], env: dict[str, str]) -> str:
    result = subprocess.run(argv, capture_output=True, text=True, env=env, check=False)
    if result.returncode != 0:
        raise ToolkitError(f"{Path(argv[0]).name} failed: {result.stderr.strip()[-200:]}")
    return result.stdout


_TABLE_CONSTRAINT = re.compile(r"^\s*(CONSTRAINT|PRIMARY KEY|UNIQUE|CHECK|FOREIGN KEY)\b", re.I)


def _items(body: str) -> list[str]:
    """``body`` split at the commas outside parentheses and quotes."""
    items, depth, quote, start = [], 0, "", 0
    for index, char in enumerate(body):
        if quote:
            quote = "" if char == quote else quote
        elif char in "'\"`":
            quote = char
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == "," and depth == 0:
            items.append(body[start:index])
            start = index + 1
    return [*items, body[start:]]


def _constraints_sorted(sql: str) -> str:
    """A SQLite CREATE TABLE with its table constraints in name order. Batch mode rebuilds a
    table with its constraints in a different order each run (Alembic gathers them in sets);
    the order means nothing to SQLite, so it must not make two equal schemas differ."""
    if not sql.upper().startswith("CREATE TABLE") or "(" not in sql:
        return sql
    head, _, rest = sql.partition("(")
    body, _, tail = rest.rpartition(")")
    items = _items(body)
    columns = [item for item in items if not _TABLE_CONSTRAINT.match(item)]
    constraints = sorted(" ".join(item.split()) for item in items if _TABLE_CONSTRAINT.match(item))
    return f"{head}({','.join([*columns, *constraints])})"


def _sqlite_objects(path: str) -> tuple[list[tuple[str, str, str, str]], list[str]]:
    with sqlite3.connect(path) as conn:
        rows = conn.execute(
            "SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name"
        ).fetchall()
        versions = conn.execute("SELECT version_num FROM alembic_version").fetchall()
    conn.close()
    return [tuple(str(v) for v in row) for row in rows], sorted(str(v[0]) for v in versions)  # type: ignore[misc]


def _server_schema(url: URL) -> tuple[str, list[str]]:
    """The server's own dump of the schema (no data), and the version rows."""
    args, env = client_options(url)
    if url.get_backend_name() == "postgresql":
        dump = [client_tool("pg_dump"), *args, "--schema-only", "--no-owner", "--no-privileges"]
        schema = _run([*dump, str(url.database)], env)
        schema = "\n".join(line for line in schema.splitlines() if not _PG_NOISE.match(line))
        select = [client_tool("psql"), *args, "-At", "-c", VERSIONS]
    else:
        dump = [client_tool("mariadb-dump"), *args, "--no-data", "--skip-comments", "--routines"]
        schema = re.sub(r" AUTO_INCREMENT=\d+", "", _run([*dump, str(url.database)], env))
        # The tool's own version marker (mariadb-dump 10.11.x writes a "sandbox mode" line).
        schema = "\n".join(s for s in schema.splitlines() if not s.startswith("/*M!999999"))
        select = [client_tool("mariadb"), *args, "-N", "-e", VERSIONS]
    versions = sorted(_run([*select, str(url.database)], env).split())
    return "\n".join(line for line in schema.splitlines() if line.strip()), versions


VERSIONS = "SELECT version_num FROM alembic_version"


def schema_dump(url: str) -> str:
    """The schema as the database's own tool dumps it, plus the version rows; normalised."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        rows, versions = _sqlite_objects(str(parsed.database))
        # Whitespace only: SQLite keeps each statement's text as sent, and Alembic's offline
        # output indents with spaces where SQLAlchemy sends tabs.
        lines = [" | ".join(" ".join(_constraints_sorted(v).split()) for v in row) for row in rows]
        return "\n".join([*lines, *versions])
    schema, versions = _server_schema(parsed)
    return "\n".join([schema, *versions])


# SQLite objects in the order a load needs them: tables, then what reads them.
_LOAD_ORDER = {"table": 0, "view": 1, "index": 2, "trigger": 3}


def loadable_dump(url: str) -> str:
    """The same schema as SQL a client can load: the tool's dump (SQLite: each object's own
    CREATE statement, tables first), then the version rows as INSERTs quoted by the dialect."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        rows, versions = _sqlite_objects(str(parsed.database))
        made = [row for row in rows if row[3] != "None" and not row[1].startswith("sqlite_")]
        made.sort(key=lambda row: (_LOAD_ORDER.get(row[0], 9), row[1]))
        schema = "\n".join(" ".join(_constraints_sorted(row[3]).split()) + ";" for row in made)
    else:
        schema, versions = _server_schema(parsed)
    return schema + "\n" + version_row_sql(parsed, versions, replace=False).rstrip("\n")
