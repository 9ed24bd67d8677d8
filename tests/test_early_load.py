"""db-up's early load (``run.early``): the core's schema file sent to an empty PostgreSQL or
MariaDB database before Alembic is imported; kept by ``run.fresh`` only once the file proves
current (PostgreSQL: one transaction it commits; MariaDB: a marked load it finishes). What it must
never do: send a file edited by hand or made from other revisions, keep one that is not the
current one, send anything to a database with tables or while another runner holds the lock, or
leave anything behind when it is stopped; and a kill must leave what the next db-up cleans up."""

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
from mcpgateway.migrate.run.early import LOADS, early_load
from mcpgateway.migrate.run.early_thread import EarlyLoad, core_paths
from mcpgateway.migrate.run.fresh import up_from_schema_files
from mcpgateway.migrate.run.mariadb_load import MARKER
from mcpgateway.migrate.run.probe import PG_LOCK_KEY, mariadb_lock_name
from tests.backends import provisioned
from tests.conftest import Project
from tests.helpers import execute, tables
from tests.test_schema_files import with_schema_files
from tests.test_schema_load import rehashed

SERVERS = ("postgresql", "mysql")
MARIADB_OPENING_END = "/*!40111 SET @OLD_SQL_NOTES=@@SQL_NOTES, SQL_NOTES=0 */;\n"
SLEEPING = {
    "postgresql": "SELECT count(*) FROM pg_stat_activity "
    "WHERE datname = :name AND wait_event = 'PgSleep'",
    "mysql": "SELECT count(*) FROM information_schema.processlist "
    "WHERE db = :name AND info LIKE 'SELECT SLEEP%'",
}
OTHERS = {
    "postgresql": "SELECT count(*) FROM pg_stat_activity "
    "WHERE datname = :name AND pid <> pg_backend_pid()",
    "mysql": "SELECT count(*) FROM information_schema.processlist "
    "WHERE db = :name AND id <> connection_id()",
}
SLEEP = {"postgresql": "SELECT pg_sleep(60);\n", "mysql": "SELECT SLEEP(60);\n"}
# A table no revision makes, as each backend's file would write it.
EXTRA = {
    "postgresql": "CREATE TABLE public.not_in_any_revision (id int);\n",
    "mysql": "CREATE TABLE `not_in_any_revision` (id int);\n",
}


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


@pytest.fixture(params=SERVERS)
def empty_server(
    request: pytest.FixtureRequest,
    in_project: Project,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> Iterator[str]:
    """A new, empty PostgreSQL or MariaDB database, the configured one."""
    with provisioned(request.param, tmp_path) as url:
        monkeypatch.setenv("DATABASE_URL", url)
        get_settings.cache_clear()
        yield url


def backend_of(url: str) -> str:
    """The backend's name as the tests know it: postgresql or mysql."""
    return make_url(url).get_backend_name()


def paths(backend: str = "postgresql") -> tuple[Path, tuple[Path, ...]]:
    """The core's file for ``backend`` and its version folders."""
    found = core_paths(backend)
    assert found is not None
    return found


def early_for(url: str, path: Path | None = None) -> EarlyLoad:
    """The early load ``url``'s backend starts, of ``path`` (the core's file by default)."""
    found, folders = paths(backend_of(url))
    return LOADS[backend_of(url)](path or found, folders)


def changed(text: str, change: str) -> str:
    """A schema file's ``text`` with ``change`` first in its body, after the line saying
    db-up loads it; on MariaDB after the session settings the file opens with, so it runs with
    the rest, before the version rows."""
    if MARIADB_OPENING_END in text:
        return text.replace(MARIADB_OPENING_END, MARIADB_OPENING_END + change, 1)
    head, body = text.split("\n", 5)[:5], text.split("\n", 5)[5]
    return "\n".join([*head, change + body])


def variant(
    tmp_path: Path, name: str, change: str, *, rehash: bool = True, backend: str = "postgresql"
) -> Path:
    """The core's file for ``backend`` with ``change`` first in its body, its content line made
    to match (as db-schema would) unless not ``rehash``."""
    text = changed(paths(backend)[0].read_text(), change)
    path = tmp_path / name
    if rehash:
        rehashed(path, text)
    else:
        path.write_text(text)
    return path


def ask(url: str, query: str) -> int:
    """A count the server gives about ``url``'s database (named :name in ``query``)."""
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    with engine.connect() as conn:
        found = conn.execute(sa.text(query), {"name": make_url(url).database}).scalar()
    engine.dispose()
    return int(found or 0)


def sleeping(url: str) -> bool:
    """The server is running a sleep in ``url``'s database."""
    return ask(url, SLEEPING[backend_of(url)]) > 0


def connections(url: str) -> int:
    """Connections to ``url``'s database other than the one asking."""
    return ask(url, OTHERS[backend_of(url)])


def end_sleeps(url: str) -> None:
    """Stop the sleeps a killed ``mariadb`` client left running on the server (the server goes
    on with a statement whose client is gone, until it ends)."""
    if backend_of(url) != "mysql":
        return
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    with engine.connect() as conn:
        ids = conn.execute(
            sa.text(SLEEPING["mysql"].replace("count(*)", "id")),
            {"name": make_url(url).database},
        )
        for (found,) in list(ids):
            conn.exec_driver_sql(f"KILL {int(found)}")
    engine.dispose()


def wait_for(condition: object, what: str) -> None:
    """Poll ``condition()`` for up to 30 s."""
    for _ in range(600):
        if condition():  # type: ignore[operator]
            return
        time.sleep(0.05)
    pytest.fail(f"never: {what}")


def test_only_a_plain_db_up_on_a_server_loads_early(
    in_project: Project, settings_env: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Assert that the early load starts on PostgreSQL and MariaDB (SQLite has nothing to
    overlap: it loads into a file beside the database), sends the core's file to an empty
    database, and that what nobody kept is undone, the marker too; that
    MIGRATION_SCHEMA_FILES=false sends nothing."""
    backend = make_url(settings_env).get_backend_name()
    with early_load() as early:
        if backend == "sqlite":
            assert early is None
            return
        assert early is not None
        assert early.outcome() == "sent"
        if backend == "mysql":  # its DDL commits as it goes: the marker says what it made
            assert {MARKER, "tools", "alembic_version"} <= tables(settings_env)
    assert tables(settings_env) == set()
    monkeypatch.setenv("MIGRATION_SCHEMA_FILES", "false")
    get_settings.cache_clear()
    with early_load() as early:
        assert early is None


@pytest.mark.parametrize("why", ["edited", "its first line edited", "made from other revisions"])
def test_an_edited_or_stale_file_is_never_sent(empty_server: str, tmp_path: Path, why: str) -> None:
    """Assert that a file edited by hand (here to commit, then drop a table of the database's)
    or made from other revisions (its digest line) is never sent, so what the database held
    stays, and db-up still loads the current file."""
    backend = backend_of(empty_server)
    if backend == "postgresql":  # in another schema, so the database is empty where it loads
        execute(empty_server, "CREATE SCHEMA keep", "CREATE TABLE keep.important (x INTEGER)")
        execute(empty_server, "INSERT INTO keep.important VALUES (1), (2), (3)")
    text = paths(backend)[0].read_text()
    drop = "DROP TABLE keep.important" if backend == "postgresql" else "DROP TABLE tools"
    if why == "edited":
        path = variant(tmp_path, "edited.sql", f"COMMIT;\n{drop};\n", rehash=False, backend=backend)
    elif why == "its first line edited":  # outside the hashed body
        path = tmp_path / "titled.sql"
        path.write_text(f"{drop}; COMMIT; " + text)
    else:
        path = tmp_path / "older.sql"
        path.write_text(text.replace(text.split("\n")[2], "-- digest: " + "0" * 64, 1))
    early = early_for(empty_server, path)
    try:
        assert early.outcome() == "stale"
        assert tables(empty_server) == set()  # nothing was sent, not even a marker
        assert up_from_schema_files(early)  # the current file, loaded the usual way
    finally:
        early.close()
    if backend == "postgresql":
        engine = sa.create_engine(empty_server, poolclass=sa.pool.NullPool)
        with engine.connect() as conn:
            assert conn.exec_driver_sql("SELECT count(*) FROM keep.important").scalar() == 3
        engine.dispose()
    assert {"tools", "alembic_version"} <= tables(empty_server)
    assert MARKER not in tables(empty_server)


def test_an_early_load_keeps_only_the_current_file(empty_server: str, tmp_path: Path) -> None:
    """Assert that a file sent early that is not the one run.fresh finds current (here one
    more table, its content line made to match) is never kept: on MariaDB, whose DDL has
    committed, what it made is dropped, and the database is empty again for the revisions; and
    that the current one is kept whole."""
    backend = backend_of(empty_server)
    extra = variant(tmp_path, "extra.sql", EXTRA[backend], backend=backend)
    early = early_for(empty_server, extra)
    try:
        assert not up_from_schema_files(early)
    finally:
        early.close()
    assert early.state == "sent"
    assert tables(empty_server) == set()
    early = early_for(empty_server)
    try:
        assert up_from_schema_files(early)
    finally:
        early.close()
    assert early.state == "committed"
    made = tables(empty_server)
    assert {"tools", "alembic_version"} <= made
    assert not {"not_in_any_revision", MARKER} & made
    assert connections(empty_server) == 0  # MariaDB's lock went with its session


def test_an_early_load_sends_nothing_to_a_database_in_use(empty_server: str) -> None:
    """Assert that while another runner holds the migration lock the early load sends nothing
    ("busy", and the usual way waits for the lock), and that a database holding a table is
    never sent anything."""
    backend = backend_of(empty_server)
    engine = sa.create_engine(empty_server, poolclass=sa.pool.NullPool)
    name = mariadb_lock_name(make_url(empty_server).database)
    take, give = {
        "postgresql": (
            f"SELECT pg_advisory_lock({PG_LOCK_KEY})",
            f"SELECT pg_advisory_unlock({PG_LOCK_KEY})",
        ),
        "mysql": (f"SELECT GET_LOCK('{name}', 0)", f"SELECT RELEASE_LOCK('{name}')"),
    }[backend]
    with engine.connect() as holder:
        holder.exec_driver_sql(take)
        early = early_for(empty_server)
        try:
            assert early.outcome() == "busy"
        finally:
            early.close()
        holder.exec_driver_sql(give)
    engine.dispose()
    assert tables(empty_server) == set()
    execute(empty_server, "CREATE TABLE other_app (id INTEGER PRIMARY KEY)")
    early = early_for(empty_server)
    try:
        assert early.outcome() == "not empty"
    finally:
        early.close()
    assert tables(empty_server) == {"other_app"}


def test_a_stopped_early_load_is_cancelled_and_leaves_nothing(
    empty_server: str, tmp_path: Path
) -> None:
    """Assert that closing an early load the server is still running stops it (PostgreSQL
    cancels the statement; MariaDB's clients are killed and what the marker names is dropped):
    nothing it made is left, and no connection of ours stays open."""
    backend = backend_of(empty_server)
    slow = variant(tmp_path, "slow.sql", SLEEP[backend], backend=backend)
    early = early_for(empty_server, slow)
    try:
        wait_for(lambda: sleeping(empty_server), "the early load reached the server")
    finally:
        early.close()
        end_sleeps(empty_server)
    assert early.state == "failed"
    assert ("cancel" if backend == "postgresql" else "stopped") in str(early.error).lower()
    assert tables(empty_server) == set()
    wait_for(lambda: connections(empty_server) == 0, "no connection is left")


def signalled_up(
    project: Project, url: str, signum: int, *, again: bool = False
) -> tuple[int, str]:
    """db-up on ``url``, sent ``signum`` once its load sleeps on the server (``again``: twice,
    the second while it undoes, as make passes on a SIGTERM its group got); its exit code and
    what it wrote to stderr. The sleep a killed client leaves on the server is ended after."""
    env = {**project.env, "DATABASE_URL": url, "PLUGINS": ""}
    up = subprocess.Popen(
        [sys.executable, "-m", "mcpgateway.migrate", "up"],
        cwd=project.root,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        wait_for(lambda: sleeping(url), "db-up's load reached the server")
        os.kill(up.pid, signum)
        if again:
            time.sleep(0.02)
            os.kill(up.pid, signum)
        _out, err = up.communicate(timeout=30)  # the sleep alone is 60 s
    finally:
        if up.poll() is None:
            up.kill()
            up.wait()
        end_sleeps(url)
    return up.returncode, err


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
@pytest.mark.parametrize("backend", SERVERS)
def test_db_up_stopped_during_its_early_load_stops_at_once(
    in_project: Project, tmp_path: Path, signum: int, backend: str
) -> None:
    """Assert that Ctrl-C or SIGTERM while db-up waits on its early load stops the load:
    db-up ends long before the load would have (one line, no traceback), the database is
    empty, no connection is left, and the next db-up loads the file."""
    path, _folders = paths(backend)
    original = path.read_text()
    rehashed(path, changed(original, SLEEP[backend]))
    with provisioned(backend, tmp_path) as url:
        code, err = signalled_up(in_project, url, signum)
        assert code != 0
        assert "Traceback" not in err
        assert err.strip().splitlines()[-1].startswith("error: interrupted"), err
        assert tables(url) == set()
        wait_for(lambda: connections(url) == 0, "no connection is left")
        path.write_text(original)
        again = in_project.make("db-up", DATABASE_URL=url, PLUGINS="")
        assert again.returncode == 0, again.stderr
        assert f"loaded alembic/schema/{path.name}" in again.stderr


def test_a_second_stop_during_the_undo_still_leaves_the_database_empty(
    in_project: Project, tmp_path: Path
) -> None:
    """Assert that SIGTERM sent twice (as make passes on the SIGTERM its group got), the second
    while db-up undoes its MariaDB early load, still ends with one line, the database empty and
    no marker: the undo holds interrupts off until it is done."""
    path = paths("mysql")[0]
    rehashed(path, changed(path.read_text(), SLEEP["mysql"]))
    with provisioned("mysql", tmp_path) as url:
        code, err = signalled_up(in_project, url, signal.SIGTERM, again=True)
        assert code != 0
        assert err.strip().splitlines()[-1].startswith("error: interrupted"), err
        assert "Traceback" not in err
        assert tables(url) == set()
        wait_for(lambda: connections(url) == 0, "no connection is left")


def test_a_mariadb_early_load_killed_part_way_is_cleaned_up_by_the_next_db_up(
    in_project: Project, tmp_path: Path
) -> None:
    """Assert that a db-up killed (SIGKILL) during its MariaDB early load leaves its marker,
    and that the next db-up says in one line that it dropped what that load had made, then
    loads the file: the database ends at head with no marker."""
    path, _folders = paths("mysql")
    original = path.read_text()
    rehashed(path, changed(original, SLEEP["mysql"]))
    with provisioned("mysql", tmp_path) as url:
        code, _err = signalled_up(in_project, url, signal.SIGKILL)
        assert code == -signal.SIGKILL
        left = tables(url)
        assert MARKER in left
        assert "tools" in left
        path.write_text(original)
        again = in_project.make("db-up", DATABASE_URL=url, PLUGINS="")
        assert again.returncode == 0, again.stderr
        said = [line for line in again.stderr.splitlines() if "stopped part-way" in line]
        assert len(said) == 1, again.stderr
        assert "dropped what it had made" in said[0]
        assert "loaded alembic/schema/mariadb.sql" in again.stderr
        assert MARKER not in tables(url)
        assert "tools" in tables(url)


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
        found = core_paths("postgresql")
        assert found is not None, location
        assert found[0].resolve() == expected
        assert [f.resolve() for f in found[1]] == [versions]
    ini.write_text(text.replace("version_locations = %(here)s/alembic/versions\n", "", 1))
    found = core_paths("postgresql")
    assert found is not None
    assert [f.resolve() for f in found[1]] == [versions]
    ini.write_text(text.replace("%(here)s/alembic\n", "mcpgateway:alembic\n", 1))
    assert core_paths("postgresql") is None
    ini.write_text(text.replace("path_separator = os\n", "path_separator = ,\n", 1))
    assert core_paths("postgresql") is None
    refused = in_project.make("db-up")
    assert refused.returncode == 2
    assert refused.stderr.strip().splitlines() == [
        "error: alembic.ini: path_separator = ',' is not one of space, newline, os, :, ;; "
        "Alembic would refuse it too"
    ]
    ini.write_text(text)
    expected.unlink()
    assert core_paths("postgresql") is None


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
