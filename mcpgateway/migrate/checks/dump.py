"""What a database ends up as, in the database's own words: its schema dumped by its own tool
(``pg_dump -s``, ``mariadb-dump --no-data``, SQLite's ``sqlite_master``) with the version
table's rows, normalised so that two databases built alike compare equal byte for byte. Used
to prove that a fresh database equals a step-by-step one, and by make bench."""

import re
import sqlite3
import subprocess
from pathlib import Path

from sqlalchemy.engine import make_url

from mcpgateway.errors import ToolkitError
from mcpgateway.migrate.backup import client_options, client_tool

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


def schema_dump(url: str) -> str:
    """The schema as the database's own tool dumps it, plus the version rows; normalised."""
    parsed = make_url(url)
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        with sqlite3.connect(str(parsed.database)) as conn:
            rows = conn.execute(
                "SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name"
            ).fetchall()
            versions = conn.execute("SELECT version_num FROM alembic_version").fetchall()
        conn.close()
        # Whitespace only: SQLite keeps each statement's text as sent, and Alembic's offline
        # output indents with spaces where SQLAlchemy sends tabs.
        lines = [
            " | ".join(" ".join(_constraints_sorted(str(v)).split()) for v in row) for row in rows
        ]
        return "\n".join([*lines, *sorted(str(v[0]) for v in versions)])
    args, env = client_options(parsed)
    if backend == "postgresql":
        dump = [client_tool("pg_dump"), *args, "--schema-only", "--no-owner", "--no-privileges"]
        schema = _run([*dump, str(parsed.database)], env)
        schema = "\n".join(line for line in schema.splitlines() if not _PG_NOISE.match(line))
        select = [
            client_tool("psql"),
            *args,
            "-At",
            "-c",
            "SELECT version_num FROM alembic_version",
        ]
    else:
        dump = [client_tool("mariadb-dump"), *args, "--no-data", "--skip-comments"]
        schema = re.sub(r" AUTO_INCREMENT=\d+", "", _run([*dump, str(parsed.database)], env))
        select = [
            client_tool("mariadb"),
            *args,
            "-N",
            "-e",
            "SELECT version_num FROM alembic_version",
        ]
    versions = _run([*select, str(parsed.database)], env).split()
    return "\n".join([*(line for line in schema.splitlines() if line.strip()), *sorted(versions)])
