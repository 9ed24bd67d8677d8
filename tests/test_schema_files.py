"""make db-schema: alembic/schema/<backend>.sql is the core's schema at head as each backend's
own tool dumps it; the same revisions give the same bytes; each file loads with the database's
own client into exactly what a replay builds; the committed files are current; a server that
cannot be reached is named and its file left as it was."""

import contextlib
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import make_url

from mcpgateway.config import normalize_database_url
from mcpgateway.errors import DatabaseUnreachable
from mcpgateway.migrate import scratch
from mcpgateway.migrate.checks.dump import loadable_dump, schema_dump
from mcpgateway.migrate.history.header import LOADS
from mcpgateway.migrate.run.ledger import LEDGER
from mcpgateway.migrate.scratch import DEFAULT_SERVERS, scratch_database
from tests.backends import provisioned
from tests.conftest import PROJECT_ROOT, Project
from tests.helpers import (
    FORK_TEMPLATE,
    add_preview_url_to_tools,
    assert_one_error,
    head_revision,
    run_sql_file,
)

BACKENDS = {"postgresql": "postgresql", "mariadb": "mysql", "sqlite": "sqlite"}


PLUGIN_SCHEMA = Path("mcpgateway") / "plugins" / "rate_limit" / "schema"


def with_schema_files(project: Project) -> Path:
    """Put the committed schema files in the copy, the core's and rate_limit's (copies leave
    them out); the core's folder."""
    folder = project.root / "alembic" / "schema"
    shutil.copytree(PROJECT_ROOT / "alembic" / "schema", folder)
    shutil.copytree(PROJECT_ROOT / PLUGIN_SCHEMA, project.root / PLUGIN_SCHEMA)
    return folder


def files(project: Project) -> dict[str, str]:
    """The schema files of the copy, by backend."""
    folder = project.root / "alembic" / "schema"
    return {backend: (folder / f"{backend}.sql").read_text() for backend in BACKENDS}


def test_db_schema_is_stable_current_and_loads_as_the_replay(
    project: Project, tmp_path: Path
) -> None:
    """Assert byte-identical files from two runs, equal to the committed ones, with the heads
    and digest header; and that each loads into what db-up builds, dump for dump."""
    first = project.make("db-schema")
    assert first.returncode == 0, first.stderr
    made = files(project)
    assert project.make("db-schema").returncode == 0
    assert files(project) == made, "two replays of the same revisions gave different files"
    committed = {b: (PROJECT_ROOT / "alembic" / "schema" / f"{b}.sql").read_text() for b in made}
    assert made == committed, "alembic/schema/ is stale: run make db-schema and commit it"
    plugin = project.make("db-schema", PLUGINS="rate_limit")
    assert plugin.returncode == 0, plugin.stderr
    assert files(project) == made  # the core's own, whichever plugins are enabled
    for backend in BACKENDS:
        ours = (project.root / PLUGIN_SCHEMA / f"{backend}.sql").read_text()
        assert ours == (PROJECT_ROOT / PLUGIN_SCHEMA / f"{backend}.sql").read_text(), (
            f"{PLUGIN_SCHEMA} is stale: run PLUGINS=rate_limit make db-schema and commit it"
        )
        assert "rate_limit_policies" in ours
        assert "CREATE TABLE `tools`" not in ours
        assert "public.tools " not in ours
    for backend, dialect in BACKENDS.items():
        lines = made[backend].splitlines()
        assert lines[1].startswith("-- heads: ")
        assert lines[4] == LOADS, f"{backend}: db-schema found a load of it differs"
        body = "\n".join(lines[5:])
        (tmp_path / backend).mkdir()
        with provisioned(dialect, tmp_path / backend) as replayed:
            project.env["DATABASE_URL"] = replayed
            assert project.make("db-up").returncode == 0
            expected = schema_dump(replayed)
        (tmp_path / f"{backend}-loaded").mkdir()
        with provisioned(dialect, tmp_path / f"{backend}-loaded") as loaded:
            run_sql_file(loaded, project.root / "alembic" / "schema" / f"{backend}.sql")
            assert loadable_dump(loaded, ledger=True) == body, (
                f"{backend}: a load does not keep the file"
            )
            assert schema_dump(loaded) == expected, backend


def test_an_unreachable_server_leaves_its_file_and_says_so(project: Project) -> None:
    """Assert that a server db-schema cannot reach is named in one line, its file untouched,
    and the others written."""
    folder = with_schema_files(project)
    before = (folder / "postgresql.sql").read_bytes()
    (folder / "sqlite.sql").write_text("stale\n")
    result = project.make("db-schema", SCHEMA_POSTGRES_URL="postgresql://postgres@127.0.0.1:1/x")
    assert_one_error(
        result,
        "postgresql",
        "left as it was (stale if the revisions changed)",
        "SCHEMA_POSTGRES_URL",
    )
    assert (folder / "postgresql.sql").read_bytes() == before
    assert (folder / "sqlite.sql").read_text() != "stale\n"


VIEW_REVISION = '''"""a view of enabled tools, made by hand"""

from alembic import op

revision = "v1e000000001"
down_revision = "{parent}"
branch_labels = None
depends_on = None
downgrade_loses: tuple[str, ...] = ()


def upgrade() -> None:
    """A view: autogenerate cannot see it, the schema files do."""
    op.execute("CREATE VIEW enabled_tools AS SELECT id, name FROM tools WHERE enabled = true")


def downgrade() -> None:
    """Drop it."""
    op.execute("DROP VIEW enabled_tools")
'''


def test_db_check_fails_on_what_autogenerate_cannot_see(project: Project) -> None:
    """Assert that db-check passes with current schema files, fails with the unified diff when
    a revision adds a view the files lack (or a file is edited), and passes after db-schema."""
    folder = with_schema_files(project)
    assert project.make("db-check").returncode == 0
    parent = head_revision(project)
    path = project.root / "alembic" / "versions" / "20990101_000000_view.py"
    path.write_text(VIEW_REVISION.format(parent=parent))
    found = project.make("db-check")
    assert found.returncode != 0
    assert "alembic/schema/ differs from a fresh replay" in found.stderr
    assert "+CREATE VIEW enabled_tools" in found.stderr.replace(
        "+CREATE VIEW public.", "+CREATE VIEW "
    )
    assert project.make("db-schema").returncode == 0
    assert project.make("db-check").returncode == 0
    edited = folder / "mariadb.sql"
    edited.write_text(edited.read_text().replace("-- heads: ", "-- heads: cafe "))
    found = project.make("db-check")
    assert "-- heads: cafe" in found.stderr


def test_db_new_writes_the_schema_files_with_its_revision(project: Project) -> None:
    """Assert that db-new, in a project keeping alembic/schema/, rewrites the files with the
    new revision (one diff shows both), after which db-check passes."""
    folder = with_schema_files(project)
    assert project.make("db-up").returncode == 0
    add_preview_url_to_tools(project)
    written = project.make("db-new", "MSG=tool preview url")
    assert written.returncode == 0, written.stderr
    assert "wrote alembic/schema/postgresql.sql" in written.stdout
    head = head_revision(project)
    for backend in BACKENDS:
        text = (folder / f"{backend}.sql").read_text()
        assert text.splitlines()[1] == f"-- heads: {head}"
        assert "preview_url" in text, backend
    checked = project.make("db-check")
    assert checked.returncode == 0, checked.stderr


def git(project: Project, *args: str) -> subprocess.CompletedProcess[str]:
    """Run git in the copy, as a developer with a name would."""
    identity = ["-c", "user.name=Dev", "-c", "user.email=dev@example.com"]
    return subprocess.run(
        ["git", *identity, *args], cwd=project.root, capture_output=True, text=True, check=False
    )


def test_two_branches_adding_revisions_conflict_on_the_heads_line(project: Project) -> None:
    """Assert that two branches, each adding a revision and its schema files, conflict in git on
    the files' heads line (the revision files alone would merge silently into two heads); and
    that the way out, make db-merge, writes files that make db-check accepts."""
    with_schema_files(project)
    parent = head_revision(project)
    assert git(project, "init", "-q", "-b", "main").returncode == 0
    git(project, "add", "-A")
    git(project, "commit", "-qm", "base")
    for branch, rev in (("one", "aaaa00000001"), ("two", "bbbb00000002")):
        git(project, "checkout", "-qb", branch, "main")
        path = project.root / "alembic" / "versions" / f"20990101_000000_fork_{rev}.py"
        path.write_text(FORK_TEMPLATE.format(rev=rev, parent=parent))
        assert project.make("db-schema").returncode == 0
        git(project, "add", "-A")
        git(project, "commit", "-qm", f"revision {rev}")
    merged = git(project, "merge", "one")
    assert merged.returncode != 0
    conflicted = set(git(project, "diff", "--name-only", "--diff-filter=U").stdout.split())
    assert conflicted == {f"alembic/schema/{b}.sql" for b in BACKENDS}
    text = (project.root / "alembic" / "schema" / "sqlite.sql").read_text()
    ours, theirs = text.split("<<<<<<< HEAD\n")[1].split("=======\n")
    assert ours.startswith("-- heads: bbbb00000002\n")
    assert theirs.startswith("-- heads: aaaa00000001\n")
    git(project, "checkout", "--theirs", "alembic/schema")  # either side: db-merge rewrites them
    assert project.make("db-merge", "MSG=merge one and two").returncode == 0
    checked = project.make("db-check")
    assert checked.returncode == 0, checked.stderr
    assert "-- heads: " in (project.root / "alembic" / "schema" / "sqlite.sql").read_text()


def test_an_empty_revision_filled_by_hand_then_db_schema(project: Project) -> None:
    """Assert that db-new EMPTY=1 writes a revision without comparing anything, moves the files'
    heads line to it at once, and says what to do once it is filled; followed as typed (fill it
    with a view, db-up, db-schema), db-check, which failed on the filled revision, passes."""
    folder = with_schema_files(project)
    project.env["DATABASE_URL"] = f"sqlite:///{project.root / 'hand.db'}"
    written = project.make("db-new", "MSG=enabled tools view", "EMPTY=1")
    assert written.returncode == 0, written.stderr
    assert "write its upgrade() and downgrade(), then make db-up" in written.stdout
    head = head_revision(project)
    assert (folder / "sqlite.sql").read_text().splitlines()[1] == f"-- heads: {head}"
    path = next((project.root / "alembic" / "versions").glob("*_enabled_tools_view.py"))
    text = path.read_text()
    text = text.replace(
        "def upgrade() -> None:\n",
        "def upgrade() -> None:\n    op.execute(\n"
        '        "CREATE VIEW enabled_tools AS SELECT id, name FROM tools WHERE enabled = true"\n'
        "    )\n",
    ).replace(
        "def downgrade() -> None:\n",
        'def downgrade() -> None:\n    op.execute("DROP VIEW enabled_tools")\n',
    )
    path.write_text(text)
    assert project.make("db-up").returncode == 0
    stale = project.make("db-check")
    assert stale.returncode != 0
    assert "+CREATE VIEW enabled_tools" in stale.stderr.replace(
        "+CREATE VIEW public.", "+CREATE VIEW "
    )
    assert project.make("db-schema").returncode == 0
    checked = project.make("db-check")
    assert checked.returncode == 0, checked.stderr


def test_a_missing_or_unreadable_schema_file_is_named(project: Project) -> None:
    """Assert that db-check fails on a schema file that is gone (its advice, db-schema, followed
    as typed, makes it pass), and that a file with bytes that are not UTF-8 is reported as
    edited by db-up and db-check in words, never a traceback."""
    folder = with_schema_files(project)
    (folder / "sqlite.sql").unlink()
    missing = project.make("db-check")
    assert missing.returncode != 0
    assert "alembic/schema/sqlite.sql is missing: make db-schema writes it" in missing.stderr
    assert project.make("db-schema", "BACKEND=sqlite").returncode == 0
    assert project.make("db-check").returncode == 0
    (folder / "sqlite.sql").write_bytes((folder / "sqlite.sql").read_bytes() + b"\xff\xfe\n")
    project.env["DATABASE_URL"] = f"sqlite:///{project.root / 'odd.db'}"
    up = project.make("db-up")
    assert up.returncode == 0, up.stderr
    assert "sqlite.sql was edited after make db-schema wrote it" in up.stderr
    checked = project.make("db-check")
    assert checked.returncode != 0
    assert "Traceback" not in checked.stderr + up.stderr


def test_a_history_without_revisions_has_no_schema_file_to_write(project: Project) -> None:
    """Assert that before the first revision db-schema writes nothing and says so (exit 0), that
    db-check names the models, not missing files, and that its advice, db-new, typed as shown,
    writes the revision with its schema files, after which db-check passes."""
    folder = with_schema_files(project)
    for revision in (project.root / "alembic" / "versions").glob("*.py"):
        revision.unlink()
    shutil.rmtree(folder)
    folder.mkdir()
    project.env["PLUGINS"] = ""
    nothing = project.make("db-schema")
    assert nothing.returncode == 0, nothing.stderr
    assert "nothing to write: no history has a revision yet" in nothing.stdout
    assert list(folder.iterdir()) == []
    checked = project.make("db-check")
    assert checked.returncode == 1
    assert "is missing" not in checked.stderr
    assert "the models and the migrations differ" in checked.stderr
    assert 'make db-new MSG="..."' in checked.stderr
    assert project.make("db-up").returncode == 0
    first = project.make("db-new", "MSG=initial")
    assert first.returncode == 0, first.stderr
    assert sorted(p.name for p in folder.iterdir()) == [
        "mariadb.sql",
        "postgresql.sql",
        "sqlite.sql",
    ]
    passed = project.make("db-check")
    assert passed.returncode == 0, passed.stderr


BACKEND_FILES = {"postgresql": "postgresql", "mysql": "mariadb", "sqlite": "sqlite"}
FAILING_ON_ONE = '''"""fails on {dialect} only"""

import os
import time
from pathlib import Path

from alembic import op

revision = "0ne000000001"
down_revision = "{parent}"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """On {dialect}: fail, or (SLOW set) say so in a file and wait to be stopped."""
    if op.get_bind().dialect.name != "{dialect}":
        return
    if os.environ.get("SLOW"):
        if op.get_bind().engine.url.database:  # a replay's, not db-check's models' in memory
            Path(os.environ["SLOW"], str(os.getpid())).touch()
            time.sleep(120)
        return
    op.execute("SELECT no_such_function_x()")


def downgrade() -> None:
    """Nothing to undo."""
'''


def only_the_file_of(project: Project, db_backend: str) -> None:
    """The copy keeps only ``db_backend``'s schema file, with a revision on top that fails on
    that backend only, or waits there while SLOW names a folder."""
    folder = with_schema_files(project)
    for other in set(BACKEND_FILES.values()) - {BACKEND_FILES[db_backend]}:
        (folder / f"{other}.sql").unlink()
    project.env["MIGRATION_SCHEMA_BACKENDS"] = BACKEND_FILES[db_backend]
    project.env["PLUGINS"] = ""
    path = project.root / "alembic" / "versions" / "20990101_000000_one_backend.py"
    path.write_text(FAILING_ON_ONE.format(dialect=db_backend, parent=head_revision(project)))


def scratch_names(db_backend: str) -> set[str]:
    """The scratch databases db-check and db-schema make on the server, by name."""
    if db_backend == "sqlite":
        return set()
    url = DEFAULT_SERVERS["postgresql" if db_backend == "postgresql" else "mariadb"]
    engine = sa.create_engine(normalize_database_url(url), poolclass=sa.pool.NullPool)
    query = "SELECT datname FROM pg_database" if db_backend == "postgresql" else "SHOW DATABASES"
    try:
        with engine.connect() as conn:
            names = {str(row[0]) for row in conn.exec_driver_sql(query)}
            return {name for name in names if name.startswith("mcpgw_scratch_schema_")}
    finally:
        engine.dispose()


def assert_dropped(db_backend: str, names: set[str]) -> None:
    """Each of ``names`` is gone, or goes within 30 s (another test's may still be in use)."""
    deadline = time.monotonic() + 30
    while names & scratch_names(db_backend) and time.monotonic() < deadline:
        time.sleep(0.5)
    assert not names & scratch_names(db_backend), "a scratch database was left on the server"


def test_a_replay_failing_on_one_backend_is_one_line(project: Project, db_backend: str) -> None:
    """Assert that a revision failing on one backend only makes db-check fail in one line that
    names it (the replay ran in a process of its own), leaving no scratch database behind."""
    only_the_file_of(project, db_backend)
    before = scratch_names(db_backend)
    result = project.make("db-check")
    line = assert_one_error(result, "no_such_function_x")
    if db_backend != "sqlite":  # SQLite's fails first in the models comparison, in-process
        assert f"replaying core on {BACKEND_FILES[db_backend]}" in line
    assert_dropped(db_backend, scratch_names(db_backend) - before)


@dataclass(frozen=True)
class SlowCheck:
    """db-check running in a process of its own, its replay waiting in the revision."""

    runner: subprocess.Popen[str]
    replay: int  # the replay's process id
    temporary: Path  # where its temporary files go
    made: frozenset[str]  # the scratch databases it made on the server


def checking_slowly(project: Project, db_backend: str, tmp_path: Path) -> SlowCheck:
    """db-check with only ``db_backend``'s file (``only_the_file_of``), returned once its replay
    waits in the revision."""
    only_the_file_of(project, db_backend)
    started, temporary = tmp_path / "started", tmp_path / "tmp"
    started.mkdir()
    temporary.mkdir()
    before = scratch_names(db_backend)
    runner = subprocess.Popen(
        [sys.executable, "-m", "mcpgateway.migrate", "check"],
        cwd=project.root,
        env={**project.env, "SLOW": str(started), "TMPDIR": str(temporary)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 120
    while not list(started.iterdir()) and time.monotonic() < deadline:
        assert runner.poll() is None, runner.communicate()
        time.sleep(0.1)
    replay = int(next(started.iterdir()).name)
    return SlowCheck(runner, replay, temporary, frozenset(scratch_names(db_backend) - before))


def test_a_replay_process_that_dies_is_named_in_one_line(project: Project, tmp_path: Path) -> None:
    """Assert that a replay whose process is killed (kill -9, the OOM killer) before it wrote
    its result fails db-check in one line naming it, with no traceback. Its backend is
    SQLite: what is tested is the watching process (what a killed replay leaves on a server
    is the next test's)."""
    check = checking_slowly(project, "sqlite", tmp_path)
    runner = check.runner
    os.kill(check.replay, signal.SIGKILL)
    _out, err = runner.communicate(timeout=60)
    assert runner.returncode == 1, err
    assert "Traceback" not in err
    assert [line for line in err.splitlines() if line.startswith("error:")] == [
        "error: the replay of core on sqlite ended (exit -9) without a result"
    ]


@pytest.mark.parametrize("server", ["postgresql", "mysql"])
def test_a_scratch_database_a_killed_replay_left_is_dropped_by_the_next_run(
    project: Project, server: str, tmp_path: Path
) -> None:
    """Assert that the scratch database of a replay killed -9 on a server (its session, and so
    its lock, gone with it) is dropped by the next run that makes one there, which says so;
    and that the next run still passes. SQLite's scratch file is in a temporary folder."""
    check = checking_slowly(project, server, tmp_path)
    left = set(check.made)
    assert left, "no replay was running on the server"
    os.kill(check.replay, signal.SIGKILL)
    check.runner.communicate(timeout=60)
    again = project.make("db-check")  # SLOW unset: this one's replay runs through
    assert again.returncode == 1, again.stderr  # the revision fails there, as it is meant to
    assert_dropped(server, left)
    # Another test's run on the server may have dropped it first; if this one did, it said so.
    for name in left:
        said = [line for line in again.stderr.splitlines() if name in line]
        assert not said or said[0].endswith("a run that was killed had left it there"), said


def test_db_check_stopped_mid_replay_leaves_nothing_behind(
    project: Project, db_backend: str, tmp_path: Path
) -> None:
    """Assert that db-check stopped (SIGTERM) while its replays run ends in one line, exit
    130, and stops them first: no scratch database or file is left behind."""
    check = checking_slowly(project, db_backend, tmp_path)
    runner, running = check.runner, set(check.made)
    runner.send_signal(signal.SIGTERM)
    _out, err = runner.communicate(timeout=60)
    assert runner.returncode == 130, err
    assert "Traceback" not in err
    assert [line for line in err.splitlines() if line.startswith("error:")] == [
        "error: interrupted"
    ]
    assert not list(check.temporary.iterdir()), "a replay left its scratch files behind"
    if db_backend != "sqlite":
        assert running, "no replay was running on the server"
        assert_dropped(db_backend, running)


@pytest.mark.parametrize("variable", ["SCHEMA_POSTGRES_URL", "SCHEMA_MARIADB_URL"])
def test_a_malformed_schema_server_url_is_named_and_never_shown(
    project: Project, variable: str
) -> None:
    """Assert that db-check and db-schema name the SCHEMA_*_URL variable that holds a URL they
    cannot use (an unencoded '@' in its password; a server of the other kind; a SQLite file),
    in one line without the password, and that db-schema then writes no file (and makes none)."""
    folder = with_schema_files(project)
    before = {path.name: path.read_bytes() for path in folder.iterdir()}
    scheme, other = ("postgresql", "mysql")
    if variable == "SCHEMA_MARIADB_URL":
        scheme, other = other, scheme
    cases = {
        f"{scheme}://root:Hunter2@secret@127.0.0.1:3306/x": "has more than one '@'",
        f"{other}://root:Hunter2@127.0.0.1/x": "must name a",
        "sqlite:///stray.db": "must name a",
    }
    for url, words in cases.items():
        for target in ("db-check", "db-schema"):
            result = project.make(target, **{variable: url})
            assert result.returncode == 2, result.stderr
            line = assert_one_error(result, variable, words)
            assert "Hunter2" not in result.stderr + result.stdout, line
    assert {path.name: path.read_bytes() for path in folder.iterdir()} == before
    assert not (project.root / "stray.db").exists()


def test_a_scratch_database_interrupted_as_it_is_made_is_dropped(
    db_backend: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Assert that an interrupt (Ctrl-C, a stopping replay) arriving just as the server makes a
    scratch database, before the caller holds it, still drops it (SQLite: removes the file)."""
    backend = BACKEND_FILES[db_backend] if db_backend != "mysql" else "mariadb"
    before = scratch_names(db_backend)
    execute_sql = sa.engine.Connection.exec_driver_sql

    def interrupted(self: sa.engine.Connection, statement: str, *args: object) -> object:
        result = execute_sql(self, statement, *args)  # type: ignore[arg-type]
        if statement.startswith("CREATE DATABASE"):
            raise KeyboardInterrupt
        return result

    def make_one() -> None:
        with scratch_database(backend, tmp_path, variable="SCHEMA_X_URL", prefix="schema"):
            if db_backend == "sqlite":  # no server: interrupted while holding its file
                raise KeyboardInterrupt

    monkeypatch.setattr(sa.engine.Connection, "exec_driver_sql", interrupted)
    with pytest.raises(KeyboardInterrupt):
        make_one()
    monkeypatch.undo()
    assert_dropped(db_backend, scratch_names(db_backend) - before)
    assert not list(tmp_path.glob("schema-*"))


def test_a_scratch_database_in_use_is_never_taken_for_a_left_one(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Assert that a run whose server URL names another database of the same PostgreSQL server
    (whose advisory locks are per database) does not drop a scratch database another run still
    uses: each lock is taken in the scratch database itself."""
    monkeypatch.setenv("SCHEMA_A_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
    monkeypatch.setenv("SCHEMA_B_URL", "postgresql://postgres@127.0.0.1:5432/template1")
    try:
        with scratch_database("postgresql", tmp_path, variable="SCHEMA_A_URL", prefix="x") as used:
            with scratch_database("postgresql", tmp_path, variable="SCHEMA_B_URL", prefix="x"):
                pass
            engine = sa.create_engine(used, poolclass=sa.pool.NullPool)
            with engine.connect() as conn:  # still there: it would fail if dropped
                assert conn.exec_driver_sql("SELECT 1").scalar() == 1
            engine.dispose()
    except DatabaseUnreachable as exc:
        if os.environ.get("CI", "").lower() == "true":
            raise
        pytest.skip(str(exc))


RECORDING = '''"""records where it runs"""

import os
import sys
from pathlib import Path

from alembic import op

revision = "rec000000001"
down_revision = "{parent}"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """On SQLite: one line per run, naming the program and the database (file or memory)."""
    if op.get_bind().dialect.name == "sqlite" and os.environ.get("RECORD"):
        where = "file" if op.get_bind().engine.url.database else "memory"
        with Path(os.environ["RECORD"]).open("a", encoding="utf-8") as out:
            out.write(f"{{Path(sys.argv[0]).name}} {{where}}\\n")


def downgrade() -> None:
    """Nothing to undo."""
'''


def test_db_check_compares_the_models_on_the_sqlite_replays_database(
    project: Project, tmp_path: Path
) -> None:
    """Assert that db-check, with SQLite's schema file and the core as its only history, runs
    the revisions on SQLite once: the schema file's replay, in a forked copy of db-check's own
    process, builds the database the models are compared with (no interpreter of its own, no
    second replay). That comparison still finds a column the revisions lack. With a plugin
    enabled, the models are compared on db-check's own replay of every history, as before."""
    sqlite_only_with(project, RECORDING)
    record = tmp_path / "record"

    def check(**env: str) -> tuple[subprocess.CompletedProcess[str], list[str]]:
        record.write_text("")
        done = check_process(project, RECORD=str(record), **env)
        return done, sorted(record.read_text().splitlines())

    done, runs = check()
    assert done.returncode == 0, done.stderr
    assert runs == ["__main__.py file"]
    add_preview_url_to_tools(project)
    done, runs = check()
    assert done.returncode == 1
    assert "tools.preview_url: column in models, not in migrations" in done.stderr
    assert "Traceback" not in done.stderr
    assert runs == ["__main__.py file"]
    _done, runs = check(PLUGINS="rate_limit")
    assert "__main__.py memory" in runs
    assert "__main__.py file" not in runs


def test_db_check_that_cannot_fork_watches_its_sqlite_replay_to_the_end(project: Project) -> None:
    """Assert that where db-check cannot fork (another thread runs in its process), the SQLite
    replay whose database the models are compared with runs as a process of its own and is
    left to finish: with SQLite's file alone, db-check passes, and still finds a column the
    revisions lack. (Its watching thread once ended before it, and Linux then stopped it.)"""
    sqlite_only(project)
    stop = threading.Event()
    other_thread = threading.Thread(target=stop.wait, daemon=True)
    other_thread.start()
    try:
        passed = project.make("db-check")
        assert passed.returncode == 0, passed.stderr
        add_preview_url_to_tools(project)
        found = project.make("db-check")
    finally:
        stop.set()
        other_thread.join()
    assert found.returncode == 1
    assert "tools.preview_url: column in models, not in migrations" in found.stderr


SAYING = '''"""says something as it runs"""

import os
import sys
import threading
import time
import warnings

from alembic import op

revision = "5a1d00000001"
down_revision = "{parent}"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """On SQLite: a line on each stream and a warning; sys.exit(0) when EXIT is set."""
    if op.get_bind().dialect.name != "sqlite":
        return
    if os.environ.get("EXIT"):
        sys.exit(0)
    print("SAID-ON-STDOUT")
    print("SAID-ON-STDERR", file=sys.stderr)
    warnings.warn("SAID-AS-WARNING", stacklevel=1)
    if os.environ.get("RAW"):
        os.write(1, b"RAW-\\xff\\xfe-BYTES\\n")

    def late() -> None:
        time.sleep(0.3)
        print("SAID-LATE", flush=True)

    threading.Thread(target=late).start()


def downgrade() -> None:
    """Nothing to undo."""
'''


def sqlite_only(project: Project) -> None:
    """SQLite's schema file alone, and the core alone."""
    folder = with_schema_files(project)
    for other in ("postgresql", "mariadb"):
        (folder / f"{other}.sql").unlink()
    project.env.update(MIGRATION_SCHEMA_BACKENDS="sqlite", PLUGINS="")


def sqlite_only_with(project: Project, template: str) -> None:
    """``sqlite_only``, and ``template`` as a revision on top, the file written again for it."""
    sqlite_only(project)
    path = project.root / "alembic" / "versions" / "20990101_000000_top.py"
    path.write_text(template.format(parent=head_revision(project)))
    assert project.make("db-schema").returncode == 0


def check_process(project: Project, **env: str) -> subprocess.CompletedProcess[str]:
    """db-check as a process of its own (it forks there), with ``env`` added."""
    return subprocess.run(
        [sys.executable, "-m", "mcpgateway.migrate", "check"],
        cwd=project.root,
        env={**project.env, **env},
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_what_a_revision_prints_db_check_shows_once(project: Project) -> None:
    """Assert that what a revision prints on SQLite (each stream, a warning) is shown once by
    db-check, forked or not (another thread running), as when db-check replayed it itself;
    and that a revision calling sys.exit(0) fails db-check and db-up in one line, where it
    ended both without a word, exit 0."""
    sqlite_only_with(project, SAYING)
    forked = check_process(project)
    stop = threading.Event()
    other_thread = threading.Thread(target=stop.wait, daemon=True)
    other_thread.start()
    try:
        spawned = project.make("db-check")
    finally:
        stop.set()
        other_thread.join()
    for done in (forked, spawned):
        assert done.returncode == 0, done.stderr
        assert done.stdout.count("SAID-ON-STDOUT") == 1, done.stdout
        assert done.stdout.count("SAID-LATE") == 1, done.stdout
        assert done.stderr.count("SAID-ON-STDERR") == 1, done.stderr
        assert done.stderr.count("UserWarning: SAID-AS-WARNING") == 1, done.stderr
    raw = subprocess.run(
        [sys.executable, "-m", "mcpgateway.migrate", "check"],
        cwd=project.root,
        env={**project.env, "RAW": "1"},
        capture_output=True,
        timeout=300,
    )
    assert raw.stdout.count(b"RAW-\xff\xfe-BYTES\n") == 1, raw.stdout
    assert_one_error(check_process(project, EXIT="1"), "20990101_000000_top.py:", "sys.exit(0)")
    replay = project.make("db-up", EXIT="1", MIGRATION_SCHEMA_FILES="false")
    assert_one_error(replay, "20990101_000000_top.py:", "called sys.exit(0)", "did not finish")
    # As the line advises, without the call (EXIT unset) db-check passes again.
    passed = check_process(project)
    assert passed.returncode == 0, passed.stderr


BRANCH = '''"""a second root in the core's folder"""

import sqlalchemy as sa
from alembic import op

revision = "b0000000000b"
down_revision = None
branch_labels = ("elsewhere",)
depends_on = None
downgrade_loses: tuple[str, ...] = ()


def upgrade() -> None:
    """A table no model declares."""
    op.create_table("elsewhere_orphan", sa.Column("id", sa.Integer, primary_key=True))


def downgrade() -> None:
    """Drop it."""
    op.drop_table("elsewhere_orphan")
'''


def test_db_check_compares_every_head_even_beside_the_sqlite_replay(project: Project) -> None:
    """Assert that a second root in the core's folder (a branch of its own) is compared too:
    the SQLite file's replay stops at the core's head, so the models are compared on a replay
    of every head, which finds its table."""
    sqlite_only_with(project, BRANCH.replace("{parent}", ""))
    found = check_process(project)
    line = assert_one_error(found, "the models and the migrations differ")
    assert "elsewhere_orphan: table in migrations, not in models" in found.stderr, line


def test_db_check_with_sigchld_ignored_or_a_percent_in_tmpdir(
    project: Project, tmp_path: Path
) -> None:
    """Assert that db-check started with SIGCHLD ignored (a daemon's child) passes, its forked
    replay watched as Popen watches one; and that with a '%20' in TMPDIR's path, SQLite's
    scratch file is still found, so a stale file fails db-check (it was skipped as
    unreachable, and db-check passed)."""
    sqlite_only_with(project, SAYING)
    done = subprocess.run(
        [sys.executable, "-m", "mcpgateway.migrate", "check"],
        cwd=project.root,
        env=project.env,
        capture_output=True,
        text=True,
        timeout=300,
        preexec_fn=lambda: signal.signal(signal.SIGCHLD, signal.SIG_IGN),
    )
    assert done.returncode == 0, done.stderr
    odd = tmp_path / "pc%20x"
    odd.mkdir()
    sqlite_file = project.root / "alembic" / "schema" / "sqlite.sql"
    sqlite_file.write_text(sqlite_file.read_text() + "-- stale\n")
    stale = check_process(project, TMPDIR=str(odd))
    assert_one_error(stale, "alembic/schema/ differs from a fresh replay")
    assert not list(odd.iterdir()), "db-check left its temporary files"


def test_a_schema_file_that_is_not_a_file_is_one_line(project: Project) -> None:
    """Assert that a schema file that is a folder or a symlink loop is named by db-check in one
    line, and db-schema, asked to write over a folder, says so in one line; following that
    line (remove it, make db-schema), db-check passes."""
    folder = with_schema_files(project)
    (folder / "sqlite.sql").unlink()
    (folder / "sqlite.sql").symlink_to("sqlite.sql")
    assert_one_error(project.make("db-check"), "alembic/schema/ differs")
    (folder / "sqlite.sql").unlink()
    (folder / "sqlite.sql").mkdir()
    found = project.make("db-check")
    assert_one_error(found, "alembic/schema/ differs")
    assert "alembic/schema/sqlite.sql is not a readable file: remove it" in found.stderr
    assert_one_error(project.make("db-schema"), "is a folder, not a file: remove it")
    (folder / "sqlite.sql").rmdir()  # as the lines advise: remove it, then make db-schema
    assert project.make("db-schema").returncode == 0
    passed = project.make("db-check")
    assert passed.returncode == 0, passed.stderr


def test_db_check_stopped_while_its_replay_is_suspended(project: Project, tmp_path: Path) -> None:
    """Assert that db-check stopped (SIGTERM) while its SQLite replay is suspended (SIGSTOP)
    ends at once in one line, exit 130, leaving no temporary file: the replay is woken to
    see that it is stopped (it waited out 30 s, then was killed, leaving its files)."""
    check = checking_slowly(project, "sqlite", tmp_path)
    os.kill(check.replay, signal.SIGSTOP)
    started = time.monotonic()
    check.runner.send_signal(signal.SIGTERM)
    _out, err = check.runner.communicate(timeout=60)
    assert check.runner.returncode == 130, err
    assert time.monotonic() - started < 20
    assert [line for line in err.splitlines() if line.startswith("error:")] == [
        "error: interrupted"
    ]
    assert not list(check.temporary.iterdir()), "a replay left its scratch files behind"


def test_db_check_reports_the_models_before_a_broken_configured_database(
    project: Project, tmp_path: Path
) -> None:
    """Assert that db-check names a model change even when the configured database's
    checksums cannot be read (its ledger table is not the toolkit's): that database is read
    while the replays run, and what went wrong there is reported after the comparison."""
    sqlite_only(project)
    broken = tmp_path / "broken.db"
    project.env["DATABASE_URL"] = f"sqlite:///{broken}"
    assert project.make("db-up").returncode == 0
    with contextlib.closing(sqlite3.connect(broken)) as conn:
        conn.execute(f"DROP TABLE {LEDGER.name}")
        conn.execute(f"CREATE TABLE {LEDGER.name} (foo INTEGER)")
        conn.commit()
    add_preview_url_to_tools(project)
    found = project.make("db-check")
    assert_one_error(found, "the models and the migrations differ")
    assert "tools.preview_url: column in models, not in migrations" in found.stderr


def test_a_sweep_holds_the_lock_of_what_it_drops(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Assert that a sweep of left scratch databases on PostgreSQL keeps each one's lock until
    it is dropped: a run that made one of that name an instant before and is just taking its
    lock finds it taken (and makes another). The sweep let the lock go first, so such a run
    took it, replayed there, and had its database dropped under it (seen in CI as "server
    closed the connection unexpectedly")."""
    with provisioned("postgresql", tmp_path) as url:
        admin_url = make_url(url).set(database="postgres")
    name = scratch.NAME.format(prefix="sweep", token=uuid.uuid4().hex[:10])
    admin = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool)
    taken: list[bool] = []
    drop = scratch._drop

    def racing_drop(conn: sa.Connection, dropped: str) -> None:
        if dropped == name:  # the run that made it, taking its lock just now
            keeper = scratch._lock_in(admin_url, name)
            taken.append(keeper is not None)
            if keeper is not None:
                keeper.close()
        drop(conn, dropped)

    monkeypatch.setattr(scratch, "_drop", racing_drop)
    try:
        with admin.connect() as conn:
            conn.exec_driver_sql(f"CREATE DATABASE {name}")  # made, its lock not yet taken
            scratch._drop_left(conn, admin_url)
            left = conn.execute(
                sa.text("SELECT count(*) FROM pg_database WHERE datname = :name"), {"name": name}
            )
            assert left.scalar() == 0
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        admin.dispose()
    assert taken == [False], "the run making it took the lock of a database the sweep drops"
