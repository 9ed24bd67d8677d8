"""A MariaDB schema-file load never costs the user what they had: its DDL commits as it goes, so
what it undoes is dropped by name, and each way a name could be someone else's is refused. The
cases a hostile tester found: a database that held only a sequence counted as empty; a marker
table nobody's load left, beside tables it does not name; a login that may create but not
drop; one that may not create (the early load kept the migration lock it had taken); a stop that
came twice; the client reading the user's ~/.my.cnf."""

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import make_url

from mcpgateway.migrate.run.mariadb_load import MARKER, mark
from mcpgateway.migrate.testing import admin_engine
from tests.backends import provisioned
from tests.conftest import Project
from tests.helpers import assert_one_error, count, execute, tables
from tests.test_schema_files import with_schema_files

PRIVILEGES = "SELECT, INSERT, UPDATE, DELETE, CREATE, ALTER, INDEX, DROP, CREATE VIEW, TRIGGER"


@pytest.fixture
def empty_mariadb(project: Project, tmp_path: Path) -> Iterator[str]:
    """A new, empty MariaDB database, the project's, with its schema files and no plugin."""
    with_schema_files(project)
    with provisioned("mysql", tmp_path) as url:
        project.env.update(DATABASE_URL=url, PLUGINS="")
        yield url


@contextmanager
def login_without(url: str, privilege: str) -> Iterator[str]:
    """``url`` as a new login that has every privilege on its database a migration uses but
    ``privilege``."""
    user = f"mcpgw_user_{uuid.uuid4().hex[:8]}"
    database = make_url(url).database
    granted = ", ".join(p for p in PRIVILEGES.split(", ") if p != privilege)
    admin = admin_engine("mysql")
    with admin.connect() as conn:
        conn.exec_driver_sql(f"CREATE USER '{user}'@'%%' IDENTIFIED BY 'pw'")
        conn.exec_driver_sql(f"GRANT {granted} ON `{database}`.* TO '{user}'@'%%'")
    try:
        yield make_url(url).set(username=user, password="pw").render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(f"DROP USER '{user}'@'%%'")
        admin.dispose()


def sequences(url: str) -> set[str]:
    """The sequences in ``url``'s database."""
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    with engine.connect() as conn:
        found = conn.exec_driver_sql(
            "SELECT table_name FROM information_schema.tables "
            "WHERE table_schema = DATABASE() AND table_type = 'SEQUENCE'"
        )
        names = {str(row[0]) for row in found}
    engine.dispose()
    return names


def test_a_database_holding_only_a_sequence_is_not_loaded_into(
    project: Project, empty_mariadb: str
) -> None:
    """Assert that a sequence makes the database not empty: nothing is loaded, so nothing is
    undone by name, and the sequence named like a table the revisions make is still there
    when the revisions refuse in one line."""
    execute(empty_mariadb, "CREATE SEQUENCE tools START WITH 1000")
    result = project.make("db-up")
    assert_one_error(result, "tools")
    assert "loading alembic/schema/mariadb.sql" not in result.stderr
    assert sequences(empty_mariadb) == {"tools"}


def test_a_marker_beside_tables_it_does_not_name_drops_nothing(
    project: Project, empty_mariadb: str
) -> None:
    """Assert that a marker table naming a user's table, in a database holding another table
    it does not name and no version table, is refused in one line and nothing is dropped; and
    that a table of the marker's name that is not a marker is refused in one line too."""
    execute(
        empty_mariadb,
        "CREATE TABLE gateways (id INT)",
        "INSERT INTO gateways VALUES (1)",
        "CREATE TABLE invoices (id INT)",
        f"CREATE TABLE {MARKER} (kind VARCHAR(16) NOT NULL, name VARCHAR(64) NOT NULL)",
        f"INSERT INTO {MARKER} VALUES ('table', 'gateways'), ('version', 'ea947c81d9ef')",
    )
    result = project.make("db-up")
    assert_one_error(result, "also holds what the load does not make (invoices)")
    assert {"gateways", "invoices", MARKER} <= tables(empty_mariadb)
    execute(empty_mariadb, f"DROP TABLE {MARKER}", f"CREATE TABLE {MARKER} (x INT)")
    result = project.make("db-up")
    assert_one_error(result, f"the table {MARKER} is not a schema-file load's marker")
    assert {"gateways", "invoices", MARKER} <= tables(empty_mariadb)


def test_a_login_that_cannot_drop_replays_instead(project: Project, empty_mariadb: str) -> None:
    """Assert that a login without DROP, which could not undo a load, has nothing loaded (the
    server refuses a DROP of a table that is not there before anything is made): one warning,
    then the revisions run to head, and no marker is left."""
    with login_without(empty_mariadb, "DROP") as url:
        result = project.make("db-up", DATABASE_URL=url)
        assert result.returncode == 0, result.stderr
        assert "DROP command denied" in result.stderr
        assert "running the revisions instead" in result.stderr
        assert "Running upgrade" in result.stderr
    made = tables(empty_mariadb)
    assert {"tools", "alembic_version"} <= made
    assert MARKER not in made


def test_a_login_that_cannot_create_fails_at_once_without_holding_the_lock(
    project: Project, empty_mariadb: str
) -> None:
    """Assert that a login without CREATE fails in one line naming the refusal, not after
    waiting for the migration lock its own early load had taken, and leaves nothing."""
    with login_without(empty_mariadb, "CREATE") as url:
        result = project.make("db-up", DATABASE_URL=url, MIGRATION_LOCK_WAIT="30")
    assert_one_error(result, "CREATE command denied")
    assert "waiting up to" not in result.stderr
    assert tables(empty_mariadb) == set()


def test_the_client_does_not_read_the_users_option_files(
    project: Project, empty_mariadb: str, tmp_path: Path
) -> None:
    """Assert that the mariadb client the load runs reads no ~/.my.cnf: an init-command there
    (here one that makes a table) would run in every load."""
    home = tmp_path / "home"
    home.mkdir()
    (home / ".my.cnf").write_text("[client]\ninit-command=CREATE TABLE read_my_cnf (x INT)\n")
    result = project.make("db-up", HOME=str(home))
    assert result.returncode == 0, result.stderr
    assert "loaded alembic/schema/mariadb.sql" in result.stderr
    assert "read_my_cnf" not in tables(empty_mariadb)


def test_a_marker_naming_what_no_load_makes_drops_nothing(
    project: Project, empty_mariadb: str
) -> None:
    """Assert that a marker row of a kind no load writes (here one naming another database,
    which the undo would have dropped as DROP DATABASE) is refused in one line and nothing is
    dropped, that database least of all."""
    victim = f"mcpgw_test_victim_{uuid.uuid4().hex[:8]}"
    admin = admin_engine("mysql")
    with admin.connect() as conn:
        conn.exec_driver_sql(f"CREATE DATABASE {victim}")
    try:
        execute(
            empty_mariadb,
            f"CREATE TABLE {MARKER} (kind VARCHAR(16) NOT NULL, name VARCHAR(64) NOT NULL)",
            f"INSERT INTO {MARKER} VALUES ('database', '{victim}')",
        )
        result = project.make("db-up")
        assert_one_error(result, "names what no load makes (database)")
        with admin.connect() as conn:
            found = conn.exec_driver_sql(f"SHOW DATABASES LIKE '{victim}'").first()
        assert found is not None
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(f"DROP DATABASE IF EXISTS {victim}")
        admin.dispose()


def test_a_table_holding_rows_the_load_never_writes_is_not_dropped(
    project: Project, empty_mariadb: str
) -> None:
    """Assert that after a load stopped part-way (its marker as the load writes it), a table
    of a name the file makes that holds rows the file never writes there (made by someone else
    since) stops the undo: one line naming it, and its rows are kept."""
    text = (project.root / "alembic" / "schema" / "mariadb.sql").read_text()
    engine = sa.create_engine(empty_mariadb, poolclass=sa.pool.NullPool)
    with engine.connect() as conn:
        mark(conn.execution_options(isolation_level="AUTOCOMMIT"), text, ("ea947c81d9ef",))
    engine.dispose()
    execute(empty_mariadb, "CREATE TABLE tools (id INT, note TEXT)")
    execute(empty_mariadb, "INSERT INTO tools VALUES (1, 'user data')")
    result = project.make("db-up")
    assert_one_error(result, "tools (its rows)")
    assert count(empty_mariadb, "tools") == 1
