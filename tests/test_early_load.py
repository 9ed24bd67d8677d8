"""db-up's early load (``run.early``): the core's PostgreSQL schema file sent to an empty
database before Alembic is imported, in one transaction that ``run.fresh`` commits only once the
file proves current. What it must never do: commit a file that is not the current one, send
anything to a database with tables or while another runner holds the lock, or leave anything
behind when it is stopped."""

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import make_url

from mcpgateway.config import get_settings
from mcpgateway.migrate.run.early import EarlyLoad, core_file, early_load
from mcpgateway.migrate.run.fresh import up_from_schema_files
from mcpgateway.migrate.run.probe import PG_LOCK_KEY
from tests.backends import provisioned
from tests.conftest import Project
from tests.helpers import execute, tables
from tests.test_schema_files import with_schema_files


@pytest.fixture
def in_project(project: Project, monkeypatch: pytest.MonkeyPatch) -> Iterator[Project]:
    """The project copy with its schema files, as the working folder of this process; no
    plugins, so a load is the core's file alone."""
    with_schema_files(project)
    monkeypatch.chdir(project.root)
    monkeypatch.setenv("PLUGINS", "")
    monkeypatch.delenv("MIGRATION_SCHEMA_FILES", raising=False)
    get_settings.cache_clear()
    yield project
    get_settings.cache_clear()


@pytest.fixture
def empty_postgresql(
    in_project: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[str]:
    """A new, empty PostgreSQL database, the configured one."""
    with provisioned("postgresql", tmp_path) as url:
        monkeypatch.setenv("DATABASE_URL", url)
        get_settings.cache_clear()
        yield url


def variant(tmp_path: Path, extra: str) -> Path:
    """The core's PostgreSQL file with ``extra`` after its last statement."""
    source = core_file()
    assert source is not None
    path = tmp_path / "variant.sql"
    path.write_text(source.read_text() + extra)
    return path


def test_only_a_plain_postgresql_db_up_loads_early(
    in_project: Project, settings_env: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Assert that the early load starts on PostgreSQL only, sends the core's file to an empty
    database, and that what nobody committed is rolled back; that MIGRATION_SCHEMA_FILES=false
    sends nothing."""
    backend = make_url(settings_env).get_backend_name()
    with early_load() as early:
        if backend != "postgresql":
            assert early is None
            return
        assert early is not None
        assert early.outcome() == "sent"
    assert tables(settings_env) == set()
    monkeypatch.setenv("MIGRATION_SCHEMA_FILES", "false")
    get_settings.cache_clear()
    with early_load() as early:
        assert early is None


def test_an_early_load_commits_only_the_current_file(empty_postgresql: str, tmp_path: Path) -> None:
    """Assert that a file that is not the current one (here one more table) is sent but never
    committed, and the revisions run instead; and that the current one is committed whole."""
    extra = variant(tmp_path, "CREATE TABLE public.not_in_any_revision (id integer);\n")
    early = EarlyLoad(extra)
    try:
        assert not up_from_schema_files(early)
    finally:
        early.close()
    assert early.state == "sent"
    assert tables(empty_postgresql) == set()
    path = core_file()
    assert path is not None
    early = EarlyLoad(path)
    try:
        assert up_from_schema_files(early)
    finally:
        early.close()
    assert early.state == "committed"
    made = tables(empty_postgresql)
    assert {"tools", "alembic_version"} <= made
    assert "not_in_any_revision" not in made


def test_an_early_load_sends_nothing_to_a_database_in_use(empty_postgresql: str) -> None:
    """Assert that while another runner holds the migration lock the early load sends nothing
    ("busy", and the usual way waits for the lock), and that a database holding a table is
    never sent anything."""
    path = core_file()
    assert path is not None
    engine = sa.create_engine(empty_postgresql, poolclass=sa.pool.NullPool)
    with engine.connect() as holder:
        holder.exec_driver_sql(f"SELECT pg_advisory_lock({PG_LOCK_KEY})")
        early = EarlyLoad(path)
        try:
            assert early.outcome() == "busy"
        finally:
            early.close()
        holder.exec_driver_sql(f"SELECT pg_advisory_unlock({PG_LOCK_KEY})")
    engine.dispose()
    assert tables(empty_postgresql) == set()
    execute(empty_postgresql, "CREATE TABLE other_app (id INTEGER PRIMARY KEY)")
    early = EarlyLoad(path)
    try:
        assert early.outcome() == "not empty"
    finally:
        early.close()
    assert tables(empty_postgresql) == {"other_app"}


def test_a_stopped_early_load_is_cancelled_and_leaves_nothing(
    empty_postgresql: str, tmp_path: Path
) -> None:
    """Assert that closing an early load the server is still running (Ctrl-C, SIGTERM) cancels
    it: the server says so, nothing it made is left, and no connection stays open."""
    slow = variant(tmp_path, "SELECT pg_sleep(60);\n")
    name = make_url(empty_postgresql).database
    engine = sa.create_engine(empty_postgresql, poolclass=sa.pool.NullPool)
    sleeping = (
        "SELECT count(*) FROM pg_stat_activity WHERE datname = :name AND wait_event = 'PgSleep'"
    )
    early = EarlyLoad(slow)
    try:
        with engine.connect() as conn:
            for _ in range(600):  # until the server is running it
                if conn.execute(sa.text(sleeping), {"name": name}).scalar():
                    break
                time.sleep(0.05)
            else:
                pytest.fail("the early load never reached the server")
    finally:
        early.close()
    assert early.state == "failed"
    assert "cancel" in str(early.error).lower()
    assert tables(empty_postgresql) == set()
    others = (
        "SELECT count(*) FROM pg_stat_activity WHERE datname = :name AND pid <> pg_backend_pid()"
    )
    with engine.connect() as conn:
        assert conn.execute(sa.text(others), {"name": name}).scalar() == 0
    engine.dispose()


def test_the_early_load_finds_the_file_alembic_ini_names(in_project: Project) -> None:
    """Assert that the file is found from alembic.ini's script_location, with %(here)s or
    relative to the working folder as Alembic reads it, and that a package resource, or no
    file, means no early load."""
    ini = in_project.root / "alembic.ini"
    expected = in_project.root / "alembic" / "schema" / "postgresql.sql"
    text = ini.read_text()
    assert "script_location = %(here)s/alembic\n" in text
    for location in ("%(here)s/alembic", "alembic", "./alembic"):
        ini.write_text(text.replace("%(here)s/alembic", location, 1))
        found = core_file()
        assert found is not None, location
        assert found.resolve() == expected
    ini.write_text(text.replace("%(here)s/alembic", "mcpgateway:alembic", 1))
    assert core_file() is None
    ini.write_text(text)
    expected.unlink()
    assert core_file() is None
