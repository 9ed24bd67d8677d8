"""make db-up on an empty database loads the schema file for its backend when the file's digest
matches the revision files, and the database ends up as a replay leaves it: both are dumped by
the database's own tool and compared byte for byte, with a view, a trigger (and on PostgreSQL
its function), a CHECK and reference rows in the history. A stale file, MIGRATION_SCHEMA_FILES=
false, a database that is not empty and plain ``alembic upgrade`` replay; a file that fails to
load is undone and the revisions run; a MariaDB load that stopped part-way is finished or
cleaned up by the next db-up, which says which."""

import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import make_url

from mcpgateway.migrate.checks.dump import loadable_dump, schema_dump
from mcpgateway.migrate.history.header import content_hash
from mcpgateway.migrate.run.mariadb_load import made_by, mark, split_tables
from tests.backends import provisioned
from tests.conftest import Project
from tests.helpers import execute, head_revision, run_sql_file, tables
from tests.test_schema_files import with_schema_files

FILES = {"postgresql": "postgresql", "mysql": "mariadb", "sqlite": "sqlite"}

REFERENCE_REVISION = '''"""tool kinds: reference rows, a CHECK, a trigger and a view"""

import sqlalchemy as sa
from alembic import op

revision = "f00d00000001"
down_revision = "{parent}"
branch_labels = None
depends_on = None
downgrade_loses: tuple[str, ...] = ()

TRIGGERS = {{
    "postgresql": [
        "CREATE FUNCTION tool_kinds_lower() RETURNS trigger LANGUAGE plpgsql AS "
        "$$ BEGIN NEW.code := lower(NEW.code); RETURN NEW; END $$",
        "CREATE TRIGGER tool_kinds_lower BEFORE INSERT ON tool_kinds "
        "FOR EACH ROW EXECUTE FUNCTION tool_kinds_lower()",
    ],
    "mysql": [
        "CREATE TRIGGER tool_kinds_lower BEFORE INSERT ON tool_kinds "
        "FOR EACH ROW SET NEW.code = LOWER(NEW.code)"
    ],
    "sqlite": [
        "CREATE TRIGGER tool_kinds_lower AFTER INSERT ON tool_kinds BEGIN "
        "UPDATE tool_kinds SET code = lower(NEW.code) WHERE id = NEW.id; END"
    ],
}}


def upgrade() -> None:
    """Reference data the application needs, kept in shape by a CHECK and a trigger."""
    kinds = op.create_table(
        "tool_kinds",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("code", sa.String(16), nullable=False),
        sa.Column("label", sa.String(64), nullable=False),
        sa.CheckConstraint("length(code) > 0", name="ck_tool_kinds_code"),
    )
    for statement in TRIGGERS[op.get_context().dialect.name]:
        op.execute(statement)
    op.bulk_insert(
        kinds,
        [
            {{"id": 1, "code": "HTTP", "label": "it's HTTP"}},
            {{"id": 2, "code": "MCP", "label": "café; -- not a comment"}},
        ],
    )
    op.execute("CREATE VIEW enabled_tools AS SELECT id, name FROM tools WHERE enabled = true")


def downgrade() -> None:
    """Drop them."""
    op.execute("DROP VIEW enabled_tools")
    op.drop_table("tool_kinds")
    if op.get_context().dialect.name == "postgresql":
        op.execute("DROP FUNCTION tool_kinds_lower()")
'''


def rehashed(path: Path, text: str) -> None:
    """Write ``text`` with its content line made to match its body, as db-schema would."""
    head, body = text.split("\n", 4)[:4], text.split("\n", 4)[4]
    head[3] = f"-- content: {content_hash(body)}"
    path.write_text("\n".join([*head, body]))


def with_reference_revision(project: Project, backend: str) -> Path:
    """The schema files, a revision adding reference rows, a CHECK, a trigger and a view, and
    ``backend``'s file written again for it; that file."""
    folder = with_schema_files(project)
    parent = head_revision(project)
    path = project.root / "alembic" / "versions" / "20990101_000000_tool_kinds.py"
    path.write_text(REFERENCE_REVISION.format(parent=parent))
    made = project.make("db-schema", BACKEND=FILES[backend])
    assert made.returncode == 0, made.stderr
    return folder / f"{FILES[backend]}.sql"


def replayed_dump(project: Project, backend: str, folder: Path) -> str:
    """The loadable dump of a database the revisions were run on one by one
    (MIGRATION_SCHEMA_FILES=false), then its schema as the database's own tool dumps it."""
    with provisioned(backend, folder) as other:
        replayed = project.make("db-up", DATABASE_URL=other, MIGRATION_SCHEMA_FILES="false")
        assert replayed.returncode == 0, replayed.stderr
        assert "loaded alembic/schema" not in replayed.stderr
        assert "Running upgrade" in replayed.stderr
        return loadable_dump(other, ledger=True) + "\n" + schema_dump(other)


def loaded_dump(url: str) -> str:
    """``replayed_dump``'s two dumps of ``url``."""
    return loadable_dump(url, ledger=True) + "\n" + schema_dump(url)


def test_a_loaded_database_equals_a_replayed_one(
    project_on: Project, database_url: str, tmp_path: Path
) -> None:
    """Assert that db-up loads the current schema file into an empty database, saying so, and
    that its dump (schema, view, trigger, CHECK, reference rows, ledger and version rows) is
    byte for byte the dump of a database the revisions ran on; then db-down and db-up work."""
    backend = make_url(database_url).get_backend_name()
    schema_file = with_reference_revision(project_on, backend)
    text = schema_file.read_text()
    for made in ("enabled_tools", "tool_kinds_lower", "ck_tool_kinds_code", "not a comment"):
        assert made in text
    assert "café; -- not a comment" in text
    loaded = project_on.make("db-up")
    assert loaded.returncode == 0, loaded.stderr
    assert f"loaded alembic/schema/{schema_file.name}" in loaded.stderr
    assert "Running upgrade" not in loaded.stderr
    assert loaded.stdout.strip().endswith("is at core f00d00000001")
    (tmp_path / "replay").mkdir()
    assert loaded_dump(database_url) == replayed_dump(project_on, backend, tmp_path / "replay")
    execute(database_url, "INSERT INTO tool_kinds (id, code, label) VALUES (3, 'SSE', 'sse')")
    engine = sa.create_engine(database_url, poolclass=sa.pool.NullPool)
    with engine.connect() as conn:
        codes = conn.execute(sa.text("SELECT code FROM tool_kinds ORDER BY id")).scalars().all()
    engine.dispose()
    assert codes == ["http", "mcp", "sse"]  # the trigger came with the load
    for target in ("db-status", "db-verify"):
        checked = project_on.make(target)
        assert checked.returncode == 0, checked.stderr
    assert project_on.make("db-down").returncode == 0
    again = project_on.make("db-up")
    assert again.returncode == 0, again.stderr
    assert "Running upgrade" in again.stderr  # not empty: the revision runs


def test_what_replays_instead(project_on: Project, database_url: str) -> None:
    """Assert that MIGRATION_SCHEMA_FILES=false, a stale file (a revision edited after it was
    made, with a warning naming make db-schema) and plain alembic upgrade replay, and that a
    database holding any table is never loaded into."""
    backend = make_url(database_url).get_backend_name()
    schema_file = with_reference_revision(project_on, backend)
    off = project_on.make("db-up", MIGRATION_SCHEMA_FILES="false")
    assert off.returncode == 0, off.stderr
    assert "loaded alembic/schema" not in off.stderr
    assert project_on.make("db-down", "REV=base").returncode == 0
    execute(database_url, "DROP TABLE alembic_version", "DROP TABLE mcpgateway_revisions")
    execute(database_url, "CREATE TABLE other_app (id INTEGER PRIMARY KEY)")
    other = project_on.make("db-up")
    assert other.returncode == 0, other.stderr
    assert "loaded alembic/schema" not in other.stderr
    assert "Running upgrade" in other.stderr
    revision = project_on.root / "alembic" / "versions" / "20990101_000000_tool_kinds.py"
    revision.write_text(revision.read_text() + "\n# edited\n")
    (project_on.root.parent / "stale").mkdir()
    with provisioned(backend, project_on.root.parent / "stale") as empty:
        stale = project_on.make("db-up", DATABASE_URL=empty)
        assert stale.returncode == 0, stale.stderr
        assert f"{schema_file.name} was made from other revision files" in stale.stderr
        assert "make db-schema" in stale.stderr
        assert "Running upgrade" in stale.stderr
    revision.write_text(revision.read_text().replace("\n# edited\n", ""))
    (project_on.root.parent / "plain").mkdir()
    with provisioned(backend, project_on.root.parent / "plain") as empty:
        plain = subprocess.run(
            [str(Path(sys.prefix) / "bin" / "alembic"), "upgrade", "heads"],
            cwd=project_on.root,
            env={**project_on.env, "DATABASE_URL": empty},
            capture_output=True,
            text=True,
            check=False,
        )
        assert plain.returncode == 0, plain.stderr
        assert "loaded alembic/schema" not in plain.stderr
        assert "Running upgrade" in plain.stderr


def failing(text: str, backend: str, where: str) -> str:
    """``text`` failing ``where``: just before its version rows, or among its tables (the first
    CREATE TABLE twice; on MariaDB with its character-set lines, so that a load sends it with
    the other tables, on clients of their own)."""
    if where == "before the version rows":
        last = text.rindex("INSERT INTO alembic_version")
        return text[:last] + "INSERT INTO no_such_table VALUES (1);\n" + text[last:]
    start = text.index("CREATE TABLE")
    end = text.index(";\n", start) + 2
    if backend == "mysql":
        start = text.rindex("/*!40101 SET @saved_cs_client", 0, start)
        end = text.index("@saved_cs_client */;\n", end) + len("@saved_cs_client */;\n")
    return text[:end] + text[start:end] + text[end:]


@pytest.mark.parametrize("where", ["before the version rows", "among the tables"])
def test_a_file_that_fails_to_load_is_undone_and_the_revisions_run(
    project_on: Project, database_url: str, tmp_path: Path, where: str
) -> None:
    """Assert that a schema file failing part-way (its content line made to match, as a file
    that fails on this server only would) leaves nothing of itself: the warning says so, the
    revisions run, and the end state is the replay's, exactly (the revisions ran, so on
    PostgreSQL too without a restore's rewriting)."""
    backend = make_url(database_url).get_backend_name()
    schema_file = with_reference_revision(project_on, backend)
    rehashed(schema_file, failing(schema_file.read_text(), backend, where))
    result = project_on.make("db-up")
    assert result.returncode == 0, result.stderr
    assert f"loading alembic/schema/{schema_file.name} failed" in result.stderr
    assert "running the revisions instead" in result.stderr
    assert ("already exists" in result.stderr) == (where == "among the tables")
    assert "Running upgrade" in result.stderr
    (tmp_path / "replay").mkdir()
    replayed = replayed_dump(project_on, backend, tmp_path / "replay")
    assert loaded_dump(database_url) == replayed


@pytest.mark.parametrize("stopped", ["part-way", "after its last statement"])
def test_a_stopped_mariadb_load_is_finished_or_cleaned_up(
    project: Project, tmp_path: Path, stopped: str
) -> None:
    """Assert that on MariaDB, whose DDL cannot roll back, a load that stopped with its marker
    in place is cleaned up and loaded again (part-way) or finished (after its last statement),
    with one line saying which, and ends as the replay does."""
    with provisioned("mysql", tmp_path) as url:
        project.env["DATABASE_URL"] = url
        schema_file = with_reference_revision(project, "mysql")
        text = schema_file.read_text()
        made = made_by(text)
        assert ("view", "enabled_tools") in made
        assert ("table", "tool_kinds") in made
        engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
        with engine.begin() as conn:  # as the load writes it before its first statement
            mark(conn, text, ("f00d00000001",))
        engine.dispose()
        if stopped == "part-way":
            partial = tmp_path / "partial.sql"
            partial.write_text(text[: text.index("CREATE TABLE `prompts`")])
            run_sql_file(url, partial)
        else:
            run_sql_file(url, schema_file)
        refused = subprocess.run(
            [str(Path(sys.prefix) / "bin" / "alembic"), "upgrade", "heads"],
            cwd=project.root,
            env=project.env,
            capture_output=True,
            text=True,
            check=False,
        )
        assert refused.returncode != 0
        assert "a schema-file load into this database stopped part-way" in refused.stderr
        assert "make db-up finishes it" in refused.stderr  # followed next
        status = project.make("db-status")
        assert "a schema-file load stopped part-way here: make db-up finishes it" in status.stdout
        result = project.make("db-up")
        assert result.returncode == 0, result.stderr
        assert f"a schema-file load into this database had stopped {stopped}" in result.stderr
        assert "Running upgrade" not in result.stderr
        (tmp_path / "replay").mkdir()
        assert loaded_dump(url) == replayed_dump(project, "mysql", tmp_path / "replay")


def test_a_plugin_file_loads_after_the_core_and_a_stale_one_replays(
    project_on: Project, database_url: str, tmp_path: Path
) -> None:
    """Assert that with rate_limit enabled, db-up on an empty database loads the core's file
    and the plugin's (its objects only), ending as a replay does; and that once the plugin's
    revisions change, its file is stale: the core's loads, the plugin's revisions run."""
    backend = make_url(database_url).get_backend_name()
    project_on.env["PLUGINS"] = "rate_limit"
    with_schema_files(project_on)
    loaded = project_on.make("db-up")
    assert loaded.returncode == 0, loaded.stderr
    plugin_file = f"mcpgateway/plugins/rate_limit/schema/{FILES[backend]}.sql"
    assert plugin_file in loaded.stderr
    assert "Running upgrade" not in loaded.stderr
    assert "; rate_limit 070ddfcc0950" in loaded.stdout
    (tmp_path / "replay").mkdir()
    expected = replayed_dump(project_on, backend, tmp_path / "replay")
    assert loaded_dump(database_url) == expected
    revision = next((project_on.root / "mcpgateway/plugins/rate_limit/versions").glob("*.py"))
    revision.write_text(revision.read_text() + "\n# a comment: the file's digest changes\n")
    (tmp_path / "stale").mkdir()
    with provisioned(backend, tmp_path / "stale") as other:
        partly = project_on.make("db-up", DATABASE_URL=other)
        assert partly.returncode == 0, partly.stderr
        assert f"loaded alembic/schema/{FILES[backend]}.sql:" in partly.stderr
        assert f"{plugin_file} was made from other revision files" in partly.stderr
        loaded_line = next(line for line in partly.stderr.splitlines() if "loaded " in line)
        assert plugin_file not in loaded_line
        assert partly.stderr.count("Running upgrade") == 1  # rate_limit's one revision
        assert loaded_dump(other) == expected  # a comment: same checksum


def test_a_file_edited_by_hand_or_ending_elsewhere_is_never_loaded(
    project_on: Project, database_url: str, tmp_path: Path
) -> None:
    """Assert that a schema file with a line removed by hand is not loaded (its content line no
    longer matches: the warning says so, the revisions run, and no index goes missing); and
    that one whose version rows are not its header's heads (content line made to match) is
    undone, never reported at head."""
    backend = make_url(database_url).get_backend_name()
    with_schema_files(project_on)
    schema_file = project_on.root / "alembic" / "schema" / f"{FILES[backend]}.sql"
    text = schema_file.read_text()
    index = next(line for line in text.splitlines() if "ix_tools_name" in line)
    schema_file.write_text(text.replace(index + "\n", ""))
    edited = project_on.make("db-up")
    assert edited.returncode == 0, edited.stderr
    assert f"{schema_file.name} was edited after make db-schema wrote it" in edited.stderr
    assert "Running upgrade" in edited.stderr
    engine = sa.create_engine(database_url, poolclass=sa.pool.NullPool)
    with engine.connect() as conn:
        assert "ix_tools_name" in {i["name"] for i in sa.inspect(conn).get_indexes("tools")}
    engine.dispose()
    checked = project_on.make("db-check")  # and db-check names the edit
    assert f"-{index}" not in checked.stderr
    assert f"+{index}" in checked.stderr
    versions = next(line for line in text.splitlines() if "INTO alembic_version" in line)
    rehashed(schema_file, text.replace(versions + "\n", ""))
    (tmp_path / "other").mkdir()
    with provisioned(backend, tmp_path / "other") as other:
        result = project_on.make("db-up", DATABASE_URL=other)
        assert result.returncode == 0, result.stderr
        assert "are not the heads its header names" in result.stderr
        if backend == "sqlite":  # no file yet: built beside it, and never renamed into place
            assert "it was loaded into .test.db.loading, so test.db was not made" in result.stderr
        assert "Running upgrade" in result.stderr
        assert project_on.make("db-status", DATABASE_URL=other).returncode == 0
    # The warnings' advice, followed as typed: the files are written again and load.
    assert project_on.make("db-schema", f"BACKEND={FILES[backend]}").returncode == 0
    (tmp_path / "again").mkdir()
    with provisioned(backend, tmp_path / "again") as again:
        loaded = project_on.make("db-up", DATABASE_URL=again)
        assert f"loaded alembic/schema/{FILES[backend]}.sql" in loaded.stderr, loaded.stderr


def test_sqlite_loads_in_place_into_a_file_another_program_holds(project_on: Project) -> None:
    """Assert that an existing, empty SQLite file is loaded in place, not replaced: a connection
    opened before db-up sees the tables, its own write afterwards keeps them, and the file keeps
    its mode and header settings."""
    path = project_on.root / "held.db"
    held = sqlite3.connect(path)
    held.execute("PRAGMA user_version = 7")
    path.chmod(0o600)
    with_schema_files(project_on)
    result = project_on.make("db-up", DATABASE_URL=f"sqlite:///{path}")
    assert "loaded alembic/schema/sqlite.sql" in result.stderr, result.stderr
    held.execute("CREATE TABLE app_written (x INTEGER)")
    held.commit()
    tables = {row[0] for row in held.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {"tools", "alembic_version", "app_written"} <= tables
    assert held.execute("PRAGMA user_version").fetchone() == (7,)
    held.close()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_postgresql_loads_only_where_a_replay_would_build(project: Project, tmp_path: Path) -> None:
    """Assert that a PostgreSQL database whose search_path puts another schema first is not
    loaded (the file writes public.<name>): the revisions run, into that schema."""
    with provisioned("postgresql", tmp_path) as url:
        execute(url, "CREATE SCHEMA app")
        name = make_url(url).database
        execute(url, f'ALTER DATABASE "{name}" SET search_path = app, public')
        project.env["DATABASE_URL"] = url
        with_schema_files(project)
        result = project.make("db-up")
        assert result.returncode == 0, result.stderr
        assert "loaded alembic/schema" not in result.stderr
        engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
        with engine.connect() as conn:
            where = conn.exec_driver_sql(
                "SELECT table_schema FROM information_schema.tables WHERE table_name = 'tools'"
            ).scalar()
        engine.dispose()
        assert where == "app"


def test_a_marker_the_database_does_not_match_drops_nothing(
    project: Project, tmp_path: Path
) -> None:
    """Assert that on MariaDB a marker table naming a table of a database already at head (not
    left by a load into an empty database) is refused in one line and nothing is dropped."""
    with provisioned("mysql", tmp_path) as url:
        project.env["DATABASE_URL"] = url
        assert project.make("db-up").returncode == 0
        engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
        with engine.begin() as conn:  # as a load would write it, naming a table of ours
            mark(conn, "CREATE TABLE `email_users` (\n", ("deadbeef0000",))
        engine.dispose()
        result = project.make("db-up")
        assert result.returncode != 0
        assert "was not left by a load into an empty database" in result.stderr
        assert "Nothing was changed" in result.stderr
        assert "email_users" in tables(url)


PARTITIONED = """/*!40101 SET @saved_cs_client     = @@character_set_client */;
/*!40101 SET character_set_client = utf8mb4 */;
CREATE TABLE `by_month` (
  `id` int(11) NOT NULL,
  `month` int(11) NOT NULL,
  PRIMARY KEY (`id`,`month`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci
 PARTITION BY RANGE (`month`)
(PARTITION `p0` VALUES LESS THAN (7) ENGINE = InnoDB,
 PARTITION `p1` VALUES LESS THAN MAXVALUE ENGINE = InnoDB);
/*!40101 SET character_set_client = @saved_cs_client */;
"""


def test_a_mariadb_file_splits_into_its_tables_and_the_rest_losing_nothing() -> None:
    """Assert that the MariaDB file's CREATE TABLE blocks go to the parallel scripts, each
    opening with the file's SET lines, and every other line stays in the rest, in its order;
    every line of every script is on the line the file has it (a client's "at line N")."""
    text = (Path(__file__).parent.parent / "alembic" / "schema" / "mariadb.sql").read_text()
    opening = text[: text.index("/*!40101 SET @saved_cs_client")]
    first = text.index("/*!40101 SET @saved_cs_client")
    text = text[:first] + PARTITIONED + text[first:]  # not a plain CREATE TABLE: in the rest
    tables, rest = split_tables(text, 3)
    assert len(tables) == 3
    assert PARTITIONED in rest
    assert all(part.startswith(opening) for part in tables)
    bodies = [part.removeprefix(opening) for part in tables]
    assert rest.count("CREATE TABLE") == 1
    assert sum(body.count("CREATE TABLE") for body in bodies) == text.count("CREATE TABLE") - 1
    lines = text.splitlines()
    written = [line for line in "".join([rest, *bodies]).splitlines() if line]
    assert sorted(written) == sorted(line for line in lines if line)  # nothing lost or doubled
    for script in [rest, *tables]:
        assert all(
            line == lines[number] for number, line in enumerate(script.splitlines()) if line
        ), "a line moved"


def test_comparing_leaves_an_empty_database_empty(project_on: Project, database_url: str) -> None:
    """Assert that db-new and db-check LIVE=1 on an empty database (each refuses: it is not at
    head) leave it empty, so db-up then loads the schema file. On MariaDB, whose DDL commits,
    Alembic's comparison used to leave an empty alembic_version table behind, and db-up then
    ran every revision instead, without a word."""
    with_schema_files(project_on)
    for target, setting in (("db-new", "MSG=x"), ("db-check", "LIVE=1")):
        refused = project_on.make(target, setting)
        assert refused.returncode != 0, refused.stdout
        assert "Traceback" not in refused.stderr
        assert tables(database_url) == set(), f"{target} left tables in an empty database"
    loaded = project_on.make("db-up")
    assert loaded.returncode == 0, loaded.stderr
    assert "loaded alembic/schema/" in loaded.stderr, loaded.stderr
