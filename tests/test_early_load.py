"""db-up's early load (``run.early``): the core's PostgreSQL schema file sent to an empty
database before Alembic is imported, in one transaction that ``run.fresh`` commits only once the
file proves current. What it must never do: send a file edited by hand or made from other
revisions, commit one that is not the current one, send anything to a database with tables or
while another runner holds the lock, or leave anything behind when it is stopped."""

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import make_url

from mcpgateway.config import get_settings
from mcpgateway.migrate.run.early import EarlyLoad, core_paths, early_load
from mcpgateway.migrate.run.fresh import up_from_schema_files
from mcpgateway.migrate.run.probe import PG_LOCK_KEY
from tests.backends import provisioned
from tests.conftest import Project
from tests.helpers import execute, tables
from tests.test_schema_files import with_schema_files
from tests.test_schema_load import rehashed

SLEEPING = "SELECT count(*) FROM pg_stat_activity WHERE datname = :name AND wait_event = 'PgSleep'"
OTHERS = "SELECT count(*) FROM pg_stat_activity WHERE datname = :name AND pid <> pg_backend_pid()"


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


def paths() -> tuple[Path, tuple[Path, ...]]:
    """The core's PostgreSQL file and version folders."""
    found = core_paths()
    assert found is not None
    return found


def changed(text: str, change: str) -> str:
    """A schema file's ``text`` with ``change`` first in its body, after the line saying
    db-up loads it."""
    head, body = text.split("\n", 5)[:5], text.split("\n", 5)[5]
    return "\n".join([*head, change + body])


def variant(tmp_path: Path, name: str, change: str, *, rehash: bool = True) -> Path:
    """The core's PostgreSQL file with ``change`` first in its body, its content line made to
    match (as db-schema would) unless not ``rehash``."""
    text = changed(paths()[0].read_text(), change)
    path = tmp_path / name
    if rehash:
        rehashed(path, text)
    else:
        path.write_text(text)
    return path


def sleeping(url: str) -> bool:
    """The server is running a pg_sleep in ``url``'s database."""
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    with engine.connect() as conn:
        found = conn.execute(sa.text(SLEEPING), {"name": make_url(url).database}).scalar()
    engine.dispose()
    return bool(found)


def connections(url: str) -> int:
    """Connections to ``url``'s database other than the one asking."""
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    with engine.connect() as conn:
        found = conn.execute(sa.text(OTHERS), {"name": make_url(url).database}).scalar()
    engine.dispose()
    return int(found or 0)


def wait_for(condition: object, what: str) -> None:
    """Poll ``condition()`` for up to 30 s."""
    for _ in range(600):
        if condition():  # type: ignore[operator]
            return
        time.sleep(0.05)
    pytest.fail(f"never: {what}")


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


@pytest.mark.parametrize("why", ["edited", "its first line edited", "made from other revisions"])
def test_an_edited_or_stale_file_is_never_sent(
    empty_postgresql: str, tmp_path: Path, why: str
) -> None:
    """Assert that a file edited by hand (here to commit, then drop another schema's table) or
    made from other revisions (its digest line) is never sent, so what the database held stays,
    and db-up still loads the current file."""
    execute(
        empty_postgresql,
        "CREATE SCHEMA keep",
        "CREATE TABLE keep.important (x INTEGER)",
        "INSERT INTO keep.important VALUES (1), (2), (3)",
    )
    text = paths()[0].read_text()
    if why == "edited":
        path = variant(
            tmp_path, "edited.sql", "COMMIT;\nDROP TABLE keep.important;\n", rehash=False
        )
    elif why == "its first line edited":  # outside the hashed body
        path = tmp_path / "titled.sql"
        path.write_text("DROP TABLE keep.important; COMMIT; " + text)
    else:
        path = tmp_path / "older.sql"
        path.write_text(text.replace(text.split("\n")[2], "-- digest: " + "0" * 64, 1))
    early = EarlyLoad(path, paths()[1])
    try:
        assert early.outcome() == "stale"
        assert up_from_schema_files(early)  # the current file, loaded the usual way
    finally:
        early.close()
    engine = sa.create_engine(empty_postgresql, poolclass=sa.pool.NullPool)
    with engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT count(*) FROM keep.important").scalar() == 3
    engine.dispose()
    assert {"tools", "alembic_version"} <= tables(empty_postgresql)


def test_an_early_load_commits_only_the_current_file(empty_postgresql: str, tmp_path: Path) -> None:
    """Assert that a file sent early that is not the one run.fresh finds current (here one
    more table, its content line made to match) is never committed, and the revisions run
    instead; and that the current one is committed whole."""
    extra = variant(tmp_path, "extra.sql", "CREATE TABLE public.not_in_any_revision (id int);\n")
    early = EarlyLoad(extra, paths()[1])
    try:
        assert not up_from_schema_files(early)
    finally:
        early.close()
    assert early.state == "sent"
    assert tables(empty_postgresql) == set()
    early = EarlyLoad(*paths())
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
    engine = sa.create_engine(empty_postgresql, poolclass=sa.pool.NullPool)
    with engine.connect() as holder:
        holder.exec_driver_sql(f"SELECT pg_advisory_lock({PG_LOCK_KEY})")
        early = EarlyLoad(*paths())
        try:
            assert early.outcome() == "busy"
        finally:
            early.close()
        holder.exec_driver_sql(f"SELECT pg_advisory_unlock({PG_LOCK_KEY})")
    engine.dispose()
    assert tables(empty_postgresql) == set()
    execute(empty_postgresql, "CREATE TABLE other_app (id INTEGER PRIMARY KEY)")
    early = EarlyLoad(*paths())
    try:
        assert early.outcome() == "not empty"
    finally:
        early.close()
    assert tables(empty_postgresql) == {"other_app"}


def test_a_stopped_early_load_is_cancelled_and_leaves_nothing(
    empty_postgresql: str, tmp_path: Path
) -> None:
    """Assert that closing an early load the server is still running cancels it: the server
    says so, nothing it made is left, and no connection stays open."""
    slow = variant(tmp_path, "slow.sql", "SELECT pg_sleep(60);\n")
    early = EarlyLoad(slow, paths()[1])
    try:
        wait_for(lambda: sleeping(empty_postgresql), "the early load reached the server")
    finally:
        early.close()
    assert early.state == "failed"
    assert "cancel" in str(early.error).lower()
    assert tables(empty_postgresql) == set()
    assert connections(empty_postgresql) == 0


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_db_up_stopped_during_its_early_load_stops_at_once(
    in_project: Project, tmp_path: Path, signum: int
) -> None:
    """Assert that Ctrl-C or SIGTERM while db-up waits on its early load cancels the load on
    the server: db-up ends long before the load would have (one line, no traceback), the
    database is empty, no connection is left, and the next db-up loads the file."""
    path, _folders = paths()
    original = path.read_text()
    rehashed(path, changed(original, "SELECT pg_sleep(60);\n"))
    with provisioned("postgresql", tmp_path) as url:
        env = {**in_project.env, "DATABASE_URL": url, "PLUGINS": ""}
        up = subprocess.Popen(
            [sys.executable, "-m", "mcpgateway.migrate", "up"],
            cwd=in_project.root,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            wait_for(lambda: sleeping(url), "db-up's load reached the server")
            os.kill(up.pid, signum)
            _out, err = up.communicate(timeout=30)  # the sleep alone is 60 s
        finally:
            if up.poll() is None:
                up.kill()
                up.wait()
        assert up.returncode != 0
        assert "Traceback" not in err
        assert err.strip().splitlines()[-1].startswith("error: interrupted")
        assert tables(url) == set()
        assert connections(url) == 0
        path.write_text(original)
        again = in_project.make("db-up", DATABASE_URL=url, PLUGINS="")
        assert again.returncode == 0, again.stderr
        assert "loaded alembic/schema/postgresql.sql" in again.stderr


def test_the_early_load_reads_alembic_ini_as_alembic_does(in_project: Project) -> None:
    """Assert that the file and version folders are found from alembic.ini's script_location
    and version_locations (with %(here)s, relative to the working folder, split on
    path_separator), and that a package resource, or no file, means no early load."""
    ini = in_project.root / "alembic.ini"
    expected = in_project.root / "alembic" / "schema" / "postgresql.sql"
    versions = in_project.root / "alembic" / "versions"
    text = ini.read_text()
    assert "script_location = %(here)s/alembic\n" in text
    assert "version_locations = %(here)s/alembic/versions\n" in text
    for location in ("%(here)s/alembic", "alembic", "./alembic"):
        ini.write_text(text.replace("%(here)s/alembic\n", f"{location}\n", 1))
        found = core_paths()
        assert found is not None, location
        assert found[0].resolve() == expected
        assert [f.resolve() for f in found[1]] == [versions]
    ini.write_text(text.replace("version_locations = %(here)s/alembic/versions\n", "", 1))
    found = core_paths()
    assert found is not None
    assert [f.resolve() for f in found[1]] == [versions]
    ini.write_text(text.replace("%(here)s/alembic\n", "mcpgateway:alembic\n", 1))
    assert core_paths() is None
    ini.write_text(text.replace("path_separator = os\n", "path_separator = ,\n", 1))
    assert core_paths() is None
    refused = in_project.make("db-up")
    assert refused.returncode == 2
    assert refused.stderr.strip().splitlines() == [
        "error: alembic.ini: path_separator = ',' is not one of space, newline, os, :, ;; "
        "Alembic would refuse it too"
    ]
    ini.write_text(text)
    expected.unlink()
    assert core_paths() is None


def test_a_table_lock_held_elsewhere_fails_the_load_in_time(
    in_project: Project, tmp_path: Path
) -> None:
    """Assert that a table lock another session holds on the empty database (its uncommitted
    CREATE TABLE alembic_version) fails the early load after MIGRATION_LOCK_TIMEOUT, as it
    would a migration's statement, rather than wait without end: one warning, then the
    revisions' own lock error in one line, and nothing left behind."""
    with provisioned("postgresql", tmp_path) as url:
        engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
        with engine.connect() as other:
            other.exec_driver_sql("CREATE TABLE alembic_version (x INTEGER)")  # left open
            up = in_project.make(
                "db-up",
                DATABASE_URL=url,
                PLUGINS="",
                MIGRATION_LOCK_TIMEOUT="1",
                MIGRATION_LOCK_RETRIES="0",
            )
            other.rollback()
        engine.dispose()
        assert up.returncode != 0
        failed = "loading alembic/schema/postgresql.sql failed (canceling statement due to lock"
        assert failed in up.stderr
        assert "Traceback" not in up.stderr
        assert up.stderr.strip().splitlines()[-1] == (
            "error: the run could not lock table alembic_version within 1s before its first "
            "revision, 1 try: another transaction holds it; nothing was changed. Retry when it "
            "ends, or raise MIGRATION_LOCK_TIMEOUT"
        )
        assert tables(url) == set()
