"""What a database ends up as, in the database's own words: its schema dumped by its own tool
(``pg_dump -s``, ``mariadb-dump --no-data``, SQLite's ``sqlite_master``) with the version
table's rows, normalised so that two databases built alike compare equal byte for byte. Used
to prove that a fresh database equals a step-by-step one, and by make bench."""

import re
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import URL, make_url

from mcpgateway.config import normalize_database_url
from mcpgateway.errors import ToolkitError
from mcpgateway.migrate.backup import literal_sql, version_row_sql
from mcpgateway.migrate.clients import client_options, client_tool
from mcpgateway.migrate.run.ledger import LEDGER
from mcpgateway.migrate.run.probe import VERSIONS

# pg_dump's comments and session settings; not the one that lets a SQL function's body name a
# table the file makes after it (the server checks the body at CREATE FUNCTION otherwise).
_PG_NOISE = re.compile(
    r"^(--.*|SET (?!check_function_bodies = false;).*|SELECT pg_catalog\.set_config.*|"
    r"\\(un)?restrict .*)$"
)


def tool_output(argv: list[str], env: dict[str, str]) -> str:
    """What a client tool printed; one line naming it if it failed."""
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


def squeeze(sql: str) -> str:
    """``sql`` with each run of whitespace outside quotes made one space; what is quoted (a
    default, a view's literal) is left as it is."""
    out, quote, space = [], "", False
    for char in sql.strip():
        if quote:
            quote = "" if char == quote else quote
        elif char in "'\"`":
            quote = char
        elif char.isspace():
            space = True
            continue
        if space:
            out.append(" ")
            space = False
        out.append(char)
    return "".join(out)


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
    constraints = sorted(squeeze(item) for item in items if _TABLE_CONSTRAINT.match(item))
    return f"{head}({','.join([*columns, *constraints])}){tail}"  # STRICT, WITHOUT ROWID


def _sqlite_objects(path: str) -> tuple[list[tuple[str, str, str, str]], list[str]]:
    with sqlite3.connect(path) as conn:
        rows = conn.execute(
            "SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name"
        ).fetchall()
        versions = conn.execute("SELECT version_num FROM alembic_version").fetchall()
    conn.close()
    return [tuple(str(v) for v in row) for row in rows], sorted(str(v[0]) for v in versions)  # type: ignore[misc]


# The version rows are written by the caller, and the ledger's rows say when a revision ran.
_NOT_REFERENCE_DATA = ("alembic_version", "mcpgateway_revisions")
# pg_dump writes an IN-list on a VARCHAR column as `(col)::text = ANY ((ARRAY['a'::character
# varying, ...])::text[])`, which PostgreSQL parses back into another form (ARRAY[('a'::character
# varying)::text, ...]). A loadable dump writes it as the IN-list it came from, which parses back
# into the very form a replay stores: the loaded database dumps as the replayed one.
_PG_IN_LIST = re.compile(
    r"\((?P<column>[a-z_][a-z0-9_$]*|\"(?:[^\"]|\"\")+\")\)::text (?P<op>= ANY|<> ALL) "
    r"\(\(ARRAY\[(?P<items>'(?:[^']|'')*'::character varying"
    r"(?:, '(?:[^']|'')*'::character varying)*)\]\)::text\[\]\)"
)


def _in_list(found: re.Match[str], line: str) -> str:
    if line.count("'", 0, found.start()) % 2:  # inside a literal ('' is two quotes)
        return found.group()
    negated = "NOT " if found["op"] == "<> ALL" else ""
    return f"{found['column']} {negated}IN ({found['items']})"


def _as_loaded(line: str) -> str:
    """A pg_dump line with its CHECK or index predicate IN-lists written as they came; never
    inside a string literal (a default, a row). Whether the result loads as the replay stored
    it is proven by loading it (``schema_files.replay``)."""
    if " CHECK (" not in line and not line.startswith(("CREATE INDEX ", "CREATE UNIQUE INDEX ")):
        return line
    return _PG_IN_LIST.sub(lambda found: _in_list(found, line), line)


# Who made a MariaDB view, trigger or routine: a load by another user must not need SUPER.
_DEFINER = re.compile(
    r"/\*!50017 DEFINER=`(?:[^`]|``)*`@`(?:[^`]|``)*`\*/ |DEFINER=`(?:[^`]|``)*`@`(?:[^`]|``)*` "
)


@dataclass(frozen=True)
class Part:
    """A plugin's part of a database: its tables (and their views, indexes, triggers) by name
    prefix, and its revisions' version and ledger rows."""

    prefix: str
    revisions: frozenset[str]


def _server_schema(
    url: URL, *, rows: bool = False, prefix: str | None = None, in_lists: bool = True
) -> tuple[str, list[str]]:
    """The server's own dump of the schema, and the version rows. ``rows``: with the rows of
    every other table as INSERTs (on a fresh replay, the reference rows the revisions insert),
    views, triggers and routines without their definer, and no DROP before a CREATE.
    ``prefix``: only the tables and views whose names start with it (no routines)."""
    args, env = client_options(url)
    if url.get_backend_name() == "postgresql":
        dump = [client_tool("pg_dump"), *args, "--no-owner", "--no-privileges"]
        dump += [f"--table=public.{prefix}*"] if prefix else []
        if rows:
            excluded = [f"--exclude-table-data={name}" for name in _NOT_REFERENCE_DATA]
            dump += ["--inserts", *excluded]
        else:
            dump.append("--schema-only")
        schema = tool_output([*dump, str(url.database)], env)
        schema = "\n".join(line for line in schema.splitlines() if not _PG_NOISE.match(line))
        if rows and in_lists:
            schema = "\n".join(_as_loaded(line) for line in schema.splitlines())
        select = [client_tool("psql"), *args, "-At", "-c", VERSIONS]
    else:
        dump = [client_tool("mariadb-dump"), *args, "--skip-comments"]
        dump += ["--routines"] if prefix is None else []
        if rows:
            dump += [
                *(f"--ignore-table-data={url.database}.{name}" for name in _NOT_REFERENCE_DATA),
                "--skip-add-drop-table",
                "--skip-add-locks",
                "--skip-disable-keys",
                "--skip-extended-insert",
                "--order-by-primary",
            ]
        else:
            dump.append("--no-data")
        named = _mariadb_tables(url, prefix) if prefix is not None else []
        schema = tool_output([*dump, str(url.database), *named], env)
        # A table's counter, on its closing line only (never inside a comment or a literal).
        schema = re.sub(r"^(\).*?) AUTO_INCREMENT=\d+", r"\1", schema, flags=re.M)
        schema = _DEFINER.sub("", schema) if rows else schema
        # The tool's own version marker (mariadb-dump 10.11.x writes a "sandbox mode" line).
        schema = "\n".join(s for s in schema.splitlines() if not s.startswith("/*M!999999"))
        select = [client_tool("mariadb"), *args, "-N", "-e", VERSIONS]
    versions = sorted(tool_output([*select, str(url.database)], env).split())
    return "\n".join(line for line in schema.splitlines() if line.strip()), versions


def _mariadb_tables(url: URL, prefix: str) -> list[str]:
    """The tables and views of ``url``'s database whose names start with ``prefix``."""
    args, env = client_options(url)
    listed = tool_output(
        [client_tool("mariadb"), *args, "-N", "-e", "SHOW TABLES", str(url.database)], env
    )
    return sorted(name for name in listed.split() if name.startswith(prefix))


def schema_dump(url: str) -> str:
    """The schema as the database's own tool dumps it, plus the version rows; normalised."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        rows, versions = _sqlite_objects(str(parsed.database))
        # Whitespace only: SQLite keeps each statement's text as sent, and Alembic's offline
        # output indents with spaces where SQLAlchemy sends tabs.
        lines = [" | ".join(squeeze(_constraints_sorted(v)) for v in row) for row in rows]
        return "\n".join([*lines, *versions])
    schema, versions = _server_schema(parsed)
    return "\n".join([schema, *versions])


# SQLite objects in the order a load needs them: tables, then what reads them.
_LOAD_ORDER = {"table": 0, "view": 1, "index": 2, "trigger": 3}


def sqlite_rows(path: str, prefix: str = "") -> list[str]:
    """Every row of every table (whose name starts with ``prefix``) but the version table and
    the ledger, as INSERTs (SQLite's own ``.dump`` form), table by table in name order."""
    with sqlite3.connect(path) as conn:
        names = [
            str(name)
            for (name,) in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
            )
            if name not in _NOT_REFERENCE_DATA and str(name).startswith(prefix)
        ]
        wanted = {f'INSERT INTO "{name}" VALUES' for name in names}
        lines = [line for line in conn.iterdump() if line.partition("(")[0] in wanted]
    conn.close()
    return lines


def _ledger_sql(url: URL, part: Part | None) -> str:
    """The ledger's rows as INSERTs that record them when they run (CURRENT_TIMESTAMP), so the
    same revisions give the same text; each value quoted by the database's own dialect."""
    plain = normalize_database_url(url.render_as_string(hide_password=False))
    engine = sa.create_engine(plain, poolclass=sa.pool.NullPool)
    try:
        with engine.connect() as conn:
            if not sa.inspect(conn).has_table(LEDGER.name):
                return ""
            found = conn.execute(
                sa.select(LEDGER.c.revision, LEDGER.c.checksum, LEDGER.c.state).order_by(
                    LEDGER.c.revision
                )
            ).all()
    finally:
        engine.dispose()
    inserts = [
        sa.insert(LEDGER).values(
            revision=row.revision,
            checksum=row.checksum,
            state=row.state,
            recorded_at=sa.func.current_timestamp(),
        )
        for row in found
        if part is None or row.revision in part.revisions
    ]
    return literal_sql(engine.dialect, inserts)


def loadable_dump(
    url: str, *, ledger: bool = False, part: Part | None = None, in_lists: bool = True
) -> str:
    """The same schema as SQL a client can load: the tool's dump (SQLite: each object's own
    CREATE statement, tables first), the rows already in its tables (on a fresh replay, the
    reference rows the revisions insert), then the version rows as INSERTs quoted by the
    dialect. ``ledger``: the toolkit's ledger rows too, before the version rows (a schema file
    holds what a replay records, and its version rows come last: they say the load finished).
    ``part``: a plugin's objects and rows only. ``in_lists``: PostgreSQL's IN-lists written as
    they came (``_as_loaded``); without, pg_dump's text as it is."""
    parsed = make_url(url)
    prefix = part.prefix if part is not None else ""
    if parsed.get_backend_name() == "sqlite":
        rows, versions = _sqlite_objects(str(parsed.database))
        made = [row for row in rows if row[3] != "None" and not row[1].startswith("sqlite_")]
        made = [row for row in made if row[2].startswith(prefix)]
        made.sort(key=lambda row: (_LOAD_ORDER.get(row[0], 9), row[1]))
        creates = [squeeze(_constraints_sorted(row[3])) + ";" for row in made]
        tables = sum(1 for row in made if row[0] == "table")
        schema = "\n".join(
            [*creates[:tables], *sqlite_rows(str(parsed.database), prefix), *creates[tables:]]
        )
    else:
        schema, versions = _server_schema(
            parsed, rows=True, prefix=prefix or None, in_lists=in_lists
        )
    if part is not None:
        versions = [rev for rev in versions if rev in part.revisions]
    recorded = _ledger_sql(parsed, part) if ledger else ""
    return (
        schema + "\n" + (recorded + version_row_sql(parsed, versions, replace=False)).rstrip("\n")
    )
