"""db-schema proves each file before db-up may load it: the file is loaded into a scratch
database, and only if that database's own dump is the replay's, line for line, does the file
say db-up loads it. PostgreSQL keeps some expressions in another form once it has parsed its
own dump; those files say db-up runs the revisions instead, and it does."""

from pathlib import Path

import pytest

from mcpgateway.migrate.checks.exact import exact_dump
from mcpgateway.migrate.history.header import LOADS, REPLAYS
from tests.backends import provisioned
from tests.conftest import Project
from tests.helpers import head_revision
from tests.test_schema_files import with_schema_files
from tests.test_schema_load import loaded_dump, rehashed, replayed_dump

REVISION = '''"""{name}, on {dialect} only"""

from alembic import op

revision = "f00d00000002"
down_revision = "{parent}"
branch_labels = None
depends_on = None
downgrade_loses: tuple[str, ...] = ()


def upgrade() -> None:
    """{name}."""
    if op.get_bind().dialect.name == "{dialect}":
        for statement in {sql!r}:
            op.execute(statement)


def downgrade() -> None:
    """Drop it."""
    if op.get_bind().dialect.name == "{dialect}":
        op.execute({undo!r})
'''

# What a revision makes, whether a load of pg_dump's text (its IN-lists written as they came)
# builds it as the revision did, and how to undo it.
CASES = {
    # PostgreSQL parses a domain's IN-list back into another form: replayed, never loaded.
    "a domain with an IN-list": (
        "postgresql",
        "CREATE DOMAIN tool_mode AS varchar(10) CHECK (VALUE IN ('stdio', 'sse'))",
        False,
        "DROP DOMAIN tool_mode",
    ),
    # An IN-list cast on a CHAR column: written as an IN-list it would compare with blanks.
    "a CHAR column compared as text": (
        "postgresql",
        "CREATE TABLE codes (c CHAR(3), CONSTRAINT ck_codes_c "
        "CHECK (c::text = ANY (ARRAY['a '::varchar, 'b '::varchar])))",
        False,
        "DROP TABLE codes",
    ),
    # An IN-list on an integer column cast to text: written as an IN-list it does not load.
    "an integer column compared as text": (
        "postgresql",
        "CREATE TABLE counts (n INTEGER, CONSTRAINT ck_counts_n "
        "CHECK (n::text = ANY (ARRAY['1'::varchar, '2'::varchar])))",
        False,
        "DROP TABLE counts",
    ),
    # Privileges: pg_dump's --no-privileges leaves them out of the file, so it is replayed.
    "a grant": (
        "postgresql",
        "GRANT SELECT ON tools TO PUBLIC",
        False,
        "REVOKE SELECT ON tools FROM PUBLIC",
    ),
    # A function body keeps its blank lines and comments: the file drops such lines, so the
    # proof sees the difference and the file is replayed.
    "a function with a blank line": (
        "postgresql",
        "CREATE FUNCTION two_lines() RETURNS int LANGUAGE plpgsql AS $$\nBEGIN\n\n"
        "-- a comment at the start of a line\nRETURN 2;\nEND $$",
        False,
        "DROP FUNCTION two_lines()",
    ),
    # A SQL function over a table the file makes later: loaded (check_function_bodies off).
    "a SQL function over a table": (
        "postgresql",
        "CREATE FUNCTION tool_count() RETURNS bigint LANGUAGE sql AS "
        "$$ SELECT count(*) FROM public.tools $$",
        True,
        "DROP FUNCTION tool_count()",
    ),
    # A default whose text looks like an IN-list: a literal, left as it is, and loaded.
    "a default that reads like an IN-list": (
        "postgresql",
        "CREATE TABLE notes (role VARCHAR(6), note TEXT DEFAULT "
        "'CHECK ( (role)::text = ANY ((ARRAY[''a''::character varying])::text[])', "
        "CONSTRAINT ck_notes_role CHECK (role IN ('owner', 'member')))",
        True,
        "DROP TABLE notes",
    ),
    # SQLite keeps a table's options and what is quoted, spaces and all: loaded as it is.
    "a STRICT table with spaced literals": (
        "sqlite",
        "CREATE TABLE strict_notes (n INTEGER NOT NULL, body TEXT NOT NULL DEFAULT "
        "'two  spaces' CHECK (body <> 'a  b')) STRICT",
        True,
        "DROP TABLE strict_notes",
    ),
    # MariaDB: a comment that mentions a counter is kept whole, and loaded.
    "a comment naming AUTO_INCREMENT": (
        "mysql",
        "CREATE TABLE counters (id INT AUTO_INCREMENT PRIMARY KEY, "
        "note VARCHAR(40) COMMENT 'was AUTO_INCREMENT=7 once')",
        True,
        "DROP TABLE counters",
    ),
    # MariaDB: a routine keeps its comments (the client sends them with --comments): loaded.
    "a procedure with a comment": (
        "mysql",
        "CREATE PROCEDURE trim_metrics()\nBEGIN\n  -- keep a day of metrics\n"
        "  DELETE FROM tool_metrics WHERE 1 = 0;\nEND",
        True,
        "DROP PROCEDURE trim_metrics",
    ),
    # MariaDB: rows inserted, then deleted, leave a counter a load would not: replayed.
    "a counter past its rows": (
        "mysql",
        [
            "CREATE TABLE counted (id INT AUTO_INCREMENT PRIMARY KEY)",
            "INSERT INTO counted VALUES (), (), ()",
            "DELETE FROM counted",
        ],
        False,
        "DROP TABLE counted",
    ),
}
FILES = {"postgresql": "postgresql", "mysql": "mariadb", "sqlite": "sqlite"}


@pytest.mark.parametrize("case", list(CASES))
def test_db_up_loads_only_a_file_proven_to_build_what_the_revisions_build(
    project: Project, tmp_path: Path, case: str
) -> None:
    """Assert that db-schema says whether db-up may load the PostgreSQL file, that db-up loads
    it or runs the revisions accordingly, and that either way the database's own dump (pg_dump
    --schema-only) and the file's are the replay's; db-check passes, and a second db-schema
    gives the same bytes."""
    dialect, sql, loadable, undo = CASES[case]
    statements = [sql] if isinstance(sql, str) else sql
    folder = with_schema_files(project)
    parent = head_revision(project)
    revision = project.root / "alembic" / "versions" / "20990101_000000_proof.py"
    revision.write_text(
        REVISION.format(name=case, dialect=dialect, parent=parent, sql=statements, undo=undo)
    )
    made = project.make("db-schema")
    assert made.returncode == 0, made.stderr
    path = folder / f"{FILES[dialect]}.sql"
    text = path.read_text()
    assert text.split("\n")[4] == (LOADS if loadable else REPLAYS)
    assert ("db-up runs the revisions on an empty database" in made.stdout) != loadable
    assert project.make("db-schema").returncode == 0
    assert path.read_text() == text
    (tmp_path / "loaded").mkdir()
    with provisioned(dialect, tmp_path / "loaded") as url:
        up = project.make("db-up", DATABASE_URL=url)
        assert up.returncode == 0, up.stderr
        assert (f"loaded alembic/schema/{path.name}" in up.stderr) == loadable
        assert ("Running upgrade" in up.stderr) != loadable
        (tmp_path / "replay").mkdir()
        assert loaded_dump(url) == replayed_dump(project, dialect, tmp_path / "replay")
        assert exact_dump(url) == exact_replay(project, dialect, tmp_path / "exact")
        project.env["DATABASE_URL"] = url
        # The models comparison runs on SQLite, where the SQLite case's table is one no
        # model has: told to leave it, as a project keeps a table of its own out.
        checked = project.make("db-check", MIGRATION_IGNORE_TABLES="strict_notes")
        assert checked.returncode == 0, checked.stderr


def exact_replay(project: Project, dialect: str, folder: Path) -> str:
    """``checks.exact``'s dump of a database the revisions ran on one by one."""
    folder.mkdir()
    with provisioned(dialect, folder) as other:
        replayed = project.make("db-up", DATABASE_URL=other, MIGRATION_SCHEMA_FILES="false")
        assert replayed.returncode == 0, replayed.stderr
        return exact_dump(other)


def test_a_plugin_file_missing_what_its_revisions_make_is_never_loaded(
    project: Project, tmp_path: Path
) -> None:
    """Assert that a plugin file is proven as db-up loads it, the core's file then the
    plugin's: a plugin revision making an object its file leaves out (a view without the
    plugin's prefix) gives a file that says db-up runs the revisions, and db-up does, ending
    as a replay does."""
    with_schema_files(project)
    project.env["PLUGINS"] = "rate_limit"
    versions = project.root / "mcpgateway" / "plugins" / "rate_limit" / "versions"
    (versions / "20990101_000000_busy.py").write_text(
        REVISION.format(
            name="a view over rate_limit's table, its name not the plugin's",
            dialect="sqlite",
            parent="070ddfcc0950",  # rate_limit's head
            sql=["CREATE VIEW busy_policies AS SELECT * FROM rate_limit_policies"],
            undo="DROP VIEW busy_policies",
        )
    )
    made = project.make("db-schema", "BACKEND=sqlite")
    assert made.returncode == 0, made.stderr
    plugin_file = project.root / "mcpgateway" / "plugins" / "rate_limit" / "schema" / "sqlite.sql"
    assert plugin_file.read_text().split("\n")[4] == REPLAYS
    assert "busy_policies" not in plugin_file.read_text()
    (tmp_path / "loaded").mkdir()
    with provisioned("sqlite", tmp_path / "loaded") as url:
        up = project.make("db-up", DATABASE_URL=url)
        assert up.returncode == 0, up.stderr
        assert "rate_limit/schema/sqlite.sql" not in up.stderr.split("loaded ", 1)[-1]
        assert exact_dump(url) == exact_replay(project, "sqlite", tmp_path / "exact")


def test_a_file_without_its_proof_line_is_named_and_db_schema_mends_it(
    project: Project, tmp_path: Path
) -> None:
    """Assert that a current file without its proof line (one written before db-schema proved
    files) is never loaded: db-up names it, with make db-schema as the remedy, and runs the
    revisions; the remedy typed as shown writes it proven, and the next empty database
    loads it."""
    folder = with_schema_files(project)
    path = folder / "sqlite.sql"
    lines = path.read_text().split("\n")
    assert lines[4] == LOADS
    rehashed(path, "\n".join([*lines[:4], *lines[5:]]))
    (tmp_path / "first").mkdir()
    with provisioned("sqlite", tmp_path / "first") as url:
        up = project.make("db-up", DATABASE_URL=url)
        assert up.returncode == 0, up.stderr
        assert (
            "sqlite.sql does not say whether a load of it builds what the revisions build"
            in up.stderr
        )
        assert "make db-schema writes it again" in up.stderr
        assert "Running upgrade" in up.stderr
    assert project.make("db-schema", "BACKEND=sqlite").returncode == 0
    assert path.read_text().split("\n")[4] == LOADS
    (tmp_path / "second").mkdir()
    with provisioned("sqlite", tmp_path / "second") as url:
        again = project.make("db-up", DATABASE_URL=url)
        assert again.returncode == 0, again.stderr
        assert "loaded alembic/schema/sqlite.sql" in again.stderr
