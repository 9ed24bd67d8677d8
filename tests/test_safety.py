"""Safe db-up: one lock, timeouts, crash safety, checksums, aliases, bootstrap, backups."""

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import sqlalchemy as sa

from mcpgateway.migrate.run.ledger import LEDGER
from tests.conftest import Project
from tests.helpers import (
    assert_one_error,
    back_up_one_user,
    columns,
    count,
    execute,
    head_revision,
    revision_file,
    tables,
)

SLOW_REVISION = '''"""slow change to tools"""

import os
import time

import sqlalchemy as sa
from alembic import op

revision = "51050000beef"
down_revision = "{parent}"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add a column, then (when SLOW is set) dawdle so a test can kill the run."""
    with op.batch_alter_table("tools") as batch:
        batch.add_column(sa.Column("slow_col", sa.String(10)))
    if os.environ.get("SLOW") and not op.get_context().as_sql:  # not in a render ahead
        time.sleep(120)
    op.create_table("crash_probe", sa.Column("id", sa.Integer, primary_key=True))


def downgrade() -> None:
    """Undo it."""
    op.drop_table("crash_probe")
    with op.batch_alter_table("tools") as batch:
        batch.drop_column("slow_col")
'''


def add_slow_revision(project: Project) -> None:
    """A revision on top of head that alters ``tools`` and can be made to hang."""
    parent = head_revision(project)
    path = project.root / "alembic" / "versions" / "20990101_000000_slow_change.py"
    path.write_text(SLOW_REVISION.format(parent=parent))


def start_make(project: Project, *args: str, **env: str) -> subprocess.Popen[str]:
    """Start make in its own process group, so the whole run can be killed."""
    return subprocess.Popen(
        project.command(*args),
        cwd=project.root,
        env={**project.env, **env},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )


def test_eight_concurrent_db_up_apply_each_revision_once(project_on: Project) -> None:
    """Assert that 8 runners at once all exit 0, and each revision runs exactly once."""
    project_on.env["PLUGINS"] = "rate_limit"
    runners = [start_make(project_on, "db-up") for _ in range(8)]
    results = [(runner.wait(timeout=240), *runner.communicate()) for runner in runners]
    assert [code for code, _, _ in results] == [0] * 8, [err for _, _, err in results]
    logs = "".join(err for _, _, err in results)
    assert logs.count("Running upgrade  -> ") == 2  # the core's revision and rate_limit's
    assert logs.count("nothing to do") == sum("waiting up to" in err for _, _, err in results)
    assert "pending: none" in project_on.make("db-status").stdout


def test_table_lock_timeout_names_the_table_and_never_blocks_writers_long(
    project_on: Project,
) -> None:
    """Assert that db-up gives up on a locked table within the bound, naming it, and that a
    writer queued behind it waits no longer than the lock timeout."""
    url = project_on.env["DATABASE_URL"]
    assert project_on.make("db-up").returncode == 0
    execute(
        url,
        "INSERT INTO tools (id, name, original_name, integration_type, request_type, headers, "
        "input_schema, annotations, enabled, reachable, visibility, created_at, updated_at, "
        "slug) VALUES ('tool1', 'echo', 'echo', 'mcp', 'POST', '{}', '{}', '{}', true, true, "
        "'public', '2026-01-01', '2026-01-01', 'echo')",
    )
    add_slow_revision(project_on)
    blocker_engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    blocker = blocker_engine.connect()
    sqlite = url.startswith("sqlite")
    if sqlite:
        blocker.exec_driver_sql("BEGIN IMMEDIATE")  # SQLite: one writer at a time
    else:
        blocker.begin()
        blocker.execute(sa.text("SELECT * FROM tools")).fetchall()  # holds a shared table lock
    env = {
        "MIGRATION_LOCK_TIMEOUT": "1",
        "MIGRATION_LOCK_RETRIES": "2",
        "MIGRATION_RETRY_BACKOFF": "0.2",
    }
    writer_waits: list[float] = []

    def writer() -> None:
        time.sleep(0.5)  # let db-up queue its ALTER first
        engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
        started = time.monotonic()
        with engine.begin() as conn:
            conn.execute(sa.text("UPDATE tools SET description = 'x' WHERE id = 'tool1'"))
        writer_waits.append(time.monotonic() - started)
        engine.dispose()

    thread = threading.Thread(target=writer)
    if not sqlite:
        thread.start()
    try:
        started = time.monotonic()
        result = project_on.make("db-up", **env)
        elapsed = time.monotonic() - started
    finally:
        if not sqlite:
            thread.join(timeout=60)
        blocker.rollback()
        blocker.close()
        blocker_engine.dispose()
    assert_one_error(result, "could not lock table tools", "3 tries")
    assert result.stderr.count("retry") == 2
    # Bounds on behaviour, not speed: three 1 s lock waits plus backoff, never a hang.
    assert elapsed < 30
    if not sqlite:
        assert writer_waits
        assert writer_waits[0] < 1 + 3
    assert "slow_col" not in columns(url, "tools")
    assert project_on.make("db-up").returncode == 0
    assert "slow_col" in columns(url, "tools")


def test_kill_9_mid_revision(project_on: Project) -> None:
    """Assert that a run killed inside a revision leaves the previous revision (or, on
    MariaDB, a report of the revision that stopped part-way), and the next run recovers."""
    url = project_on.env["DATABASE_URL"]
    assert project_on.make("db-up").returncode == 0
    head = head_revision(project_on)
    add_slow_revision(project_on)
    runner = start_make(project_on, "db-up", SLOW="1")
    assert runner.stderr is not None
    for line in runner.stderr:
        if "Running upgrade" in line and "51050000beef" in line:
            break
    time.sleep(1.5)  # inside the sleep, after the ALTER
    os.killpg(runner.pid, signal.SIGKILL)
    runner.communicate(timeout=30)  # reaps it and closes its pipes

    if url.startswith("mysql"):
        assert "slow_col" in columns(url, "tools")  # MariaDB DDL is not transactional
        line = assert_one_error(project_on.make("db-up"), "revision 51050000beef")
        assert "stopped part-way" in line
        assert f"make db-stamp REV=51050000beef (done) or REV={head} (undone)" in line
        execute(url, "ALTER TABLE tools DROP COLUMN slow_col")  # undo it by hand
        assert project_on.make("db-stamp", f"REV={head}").returncode == 0
    else:
        assert "slow_col" not in columns(url, "tools")
        assert "crash_probe" not in tables(url)
        assert f"core  current {head}" in project_on.make("db-status").stdout
    again = project_on.make("db-up")
    assert again.returncode == 0, again.stderr
    assert "slow_col" in columns(url, "tools")
    assert "crash_probe" in tables(url)


FAILING_FIRST = '''"""a revision whose first statement the server rejects"""

import sqlalchemy as sa
from alembic import op

revision = "0f1500000001"
down_revision = "{parent}"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """The first statement fails (or Python does, before any); the table after is never made."""
    if "{first}" == "raise":
        raise RuntimeError("this revision fails before its first statement")
    op.execute("{first}")
    op.create_table("after_failure", sa.Column("id", sa.Integer, primary_key=True))


def downgrade() -> None:
    """Undo it."""
    op.drop_table("after_failure")
'''
BEFORE_IT = '''"""a revision that runs first, in the same db-up"""

import sqlalchemy as sa
from alembic import op

revision = "0f1500000000"
down_revision = "{parent}"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """A table: its transaction commits before the next revision starts."""
    op.create_table("before_failure", sa.Column("id", sa.Integer, primary_key=True))


def downgrade() -> None:
    """Undo it."""
    op.drop_table("before_failure")
'''


@pytest.mark.parametrize("alone", [True, False], ids=["first-of-the-run", "after-another"])
@pytest.mark.parametrize(
    "first",
    ["THIS IS NOT SQL", "ALTER TABLE no_such_table ADD COLUMN x INTEGER", "raise"],
    ids=["unparseable", "ddl-on-missing-table", "python-error"],
)
def test_a_revision_whose_first_statement_fails_leaves_nothing_part_way(
    project_on: Project, first: str, alone: bool
) -> None:
    """Assert that a revision failing on its first statement (or before it) is reported as that
    failure and not as one stopped part-way, whether it is the first of the run or comes after
    one that committed (on MariaDB the server commits before a DDL it then rejects, and does not
    for a statement it cannot parse): the next db-up runs the fixed revision."""
    url = project_on.env["DATABASE_URL"]
    assert project_on.make("db-up").returncode == 0
    parent = head_revision(project_on)
    versions = project_on.root / "alembic" / "versions"
    if not alone:
        (versions / "20990101_000000_before_it.py").write_text(BEFORE_IT.format(parent=parent))
        parent = "0f1500000000"
    path = versions / "20990101_000001_failing_first.py"
    path.write_text(FAILING_FIRST.format(parent=parent, first=first))
    failed = project_on.make("db-up")
    assert failed.returncode != 0
    assert "Traceback" not in failed.stderr
    assert "part-way" not in failed.stderr + project_on.make("db-status").stdout
    assert "after_failure" not in tables(url)
    assert ("before_failure" in tables(url)) == (not alone)
    path.write_text(FAILING_FIRST.format(parent=parent, first="SELECT 1"))
    again = project_on.make("db-up")
    assert again.returncode == 0, again.stderr
    assert "after_failure" in tables(url)


LOCKED_THEN_PART_WAY = '''"""{doc}"""

import os
from pathlib import Path

import sqlalchemy as sa
from alembic import op

revision = "{revision}"
down_revision = "{parent}"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """{doc}."""
    {body}


def downgrade() -> None:
    """Nothing to undo here."""
'''


def test_a_revision_after_a_lock_retry_that_stops_part_way_is_reported(
    project_on: Project,
) -> None:
    """Assert that after a revision is retried on a table lock, the next revision of the same
    run is still marked before it starts: stopping part-way, on MariaDB it is reported with its
    way out (followed as typed); elsewhere it rolled back whole."""
    url = project_on.env["DATABASE_URL"]
    assert project_on.make("db-up").returncode == 0
    head = head_revision(project_on)
    versions = project_on.root / "alembic" / "versions"
    locked = (
        "if not op.get_context().as_sql:  # the run itself, not a render ahead\n"
        '        Path(os.environ["REACHED"]).touch()\n'
        '    op.add_column("tools", sa.Column("lock_col", sa.String(10)))'
    )
    (versions / "20990101_000000_locked.py").write_text(
        LOCKED_THEN_PART_WAY.format(
            doc="a column on a table held by another session",
            revision="10c4ed000001",
            parent=head,
            body=locked,
        )
    )
    part_way = (
        'op.create_table("made_first", sa.Column("id", sa.Integer, primary_key=True))\n'
        '    op.execute("ALTER TABLE no_such_table ADD COLUMN x INTEGER")'
    )
    second = versions / "20990101_000001_part_way.py"
    second.write_text(
        LOCKED_THEN_PART_WAY.format(
            doc="a table, then a statement that fails",
            revision="10c4ed000002",
            parent="10c4ed000001",
            body=part_way,
        )
    )
    blocker_engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    blocker = blocker_engine.connect()
    if url.startswith("sqlite"):
        blocker.exec_driver_sql("BEGIN IMMEDIATE")
    else:
        blocker.begin()
        blocker.execute(sa.text("SELECT * FROM tools")).fetchall()
    reached = project_on.root / "reached"

    def release_once_waited() -> None:
        """Hold the lock until db-up has waited on it past one timeout (1 s), then let go."""
        deadline = time.monotonic() + 120
        while not reached.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(1.5)
        blocker.rollback()

    release = threading.Thread(target=release_once_waited)
    release.start()
    try:
        result = project_on.make(
            "db-up",
            REACHED=str(reached),
            MIGRATION_LOCK_TIMEOUT="1",
            MIGRATION_LOCK_RETRIES="5",
            MIGRATION_RETRY_BACKOFF="0.2",
        )
    finally:
        release.join()
        blocker.close()
        blocker_engine.dispose()
    assert "timed out waiting for a lock on tools" in result.stderr
    assert_one_error(result, "no_such_table")
    assert "lock_col" in columns(url, "tools")
    if url.startswith("mysql"):
        assert "made_first" in tables(url)
        line = assert_one_error(project_on.make("db-up"), "revision 10c4ed000002")
        assert "stopped part-way" in line
        assert "make db-stamp REV=10c4ed000002 (done) or REV=10c4ed000001 (undone)" in line
        execute(url, "DROP TABLE made_first")  # undone by hand, as the advice says
        assert project_on.make("db-stamp", "REV=10c4ed000001").returncode == 0
    else:
        assert "made_first" not in tables(url)
    second.write_text(
        second.read_text().replace("ALTER TABLE no_such_table ADD COLUMN x INTEGER", "SELECT 1")
    )
    again = project_on.make("db-up")
    assert again.returncode == 0, again.stderr
    assert "made_first" in tables(url)


def test_sqlite_batch_leftovers_are_cleared(project: Project, tmp_path: Path) -> None:
    """Assert that an _alembic_tmp_ table is dropped (or restored) by the next run, with a line."""
    url = f"sqlite:///{tmp_path / 'left.db'}"
    project.env["DATABASE_URL"] = url
    assert project.make("db-up").returncode == 0
    execute(url, "CREATE TABLE _alembic_tmp_tools (id VARCHAR(36))")
    execute(url, "CREATE TABLE _alembic_tmp_widgets (id INTEGER)")
    execute(url, "INSERT INTO _alembic_tmp_widgets VALUES (7)")
    result = project.make("db-up")
    assert result.returncode == 0, result.stderr
    assert "dropped _alembic_tmp_tools, left by an interrupted batch migration" in result.stderr
    assert "restored widgets from _alembic_tmp_widgets" in result.stderr
    assert "_alembic_tmp_tools" not in tables(url)
    assert count(url, "widgets") == 1


def test_a_stamp_down_past_several_revisions_forgets_them_all(project_on: Project) -> None:
    """Assert that db-stamp down past two revisions leaves no ledger row for either, so that
    editing one of them while it is unapplied (a legitimate edit) and stamping it again is not
    reported as an edit of an applied revision."""
    url = project_on.env["DATABASE_URL"]
    assert project_on.make("db-up").returncode == 0
    head = head_revision(project_on)
    versions = project_on.root / "alembic" / "versions"
    parent = head
    for number, revision in enumerate(("57a000000001", "57a000000002")):
        (versions / f"20990101_00000{number}_stamped.py").write_text(
            BEFORE_IT.replace("0f1500000000", revision)
            .replace("before_failure", f"stamped_{number}")
            .format(parent=parent)
        )
        parent = revision
    assert project_on.make("db-up").returncode == 0
    assert project_on.make("db-stamp", f"REV={head}").returncode == 0
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    with engine.connect() as conn:
        recorded = set(conn.execute(sa.select(LEDGER.c.revision)).scalars())
    engine.dispose()
    assert not recorded & {"57a000000001", "57a000000002"}, recorded
    first = versions / "20990101_000000_stamped.py"
    first.write_text(
        first.read_text().replace(
            "primary_key=True)", "primary_key=True), sa.Column('n', sa.Integer)"
        )
    )
    assert project_on.make("db-stamp", "REV=57a000000001").returncode == 0
    verified = project_on.make("db-verify")
    assert verified.returncode == 0, verified.stdout + verified.stderr


def test_edited_applied_revision_is_caught_and_accepted(project_at_head: Project) -> None:
    """Assert that db-up, db-check and db-verify name an edited revision until it is accepted."""
    head = head_revision(project_at_head)
    edited = revision_file(project_at_head, head)
    source = edited.read_text()
    edited.write_text(f"# reviewed again\n{source}\n\n# comments, blank lines: not an edit\n")
    assert project_at_head.make("db-verify").returncode == 0
    edited.write_text(source + "\nTIMEOUT = 5\n")
    for target in ("db-up", "db-check"):
        assert_one_error(project_at_head.make(target), f"{head}: alembic/versions/{edited.name}")
    verify = project_at_head.make("db-verify")
    assert verify.returncode != 0
    assert f"{head}: alembic/versions/{edited.name} changed after it was applied" in verify.stdout
    accepted = project_at_head.make("db-accept", f"REV={head}")
    assert accepted.returncode == 0, accepted.stderr
    assert project_at_head.make("db-verify").returncode == 0
    assert project_at_head.make("db-up").returncode == 0


def test_renamed_revision_id_is_followed_through_its_alias(project_on: Project) -> None:
    """Assert that a database stamped with an old id upgrades once the file declares it."""
    url = project_on.env["DATABASE_URL"]
    assert project_on.make("db-up").returncode == 0
    head = head_revision(project_on)
    renamed = revision_file(project_on, head)
    new_id = "c0de00000001"
    renamed.write_text(
        renamed.read_text().replace(f'"{head}"', f'"{new_id}"') + f'\nreplaces = ("{head}",)\n'
    )
    execute(url, "DELETE FROM mcpgateway_revisions")  # the file changed on purpose
    status = project_on.make("db-status")
    assert status.returncode == 0, status.stderr
    up = project_on.make("db-up")
    assert up.returncode == 0, up.stderr
    assert f"revision {head} was renamed {new_id}" in up.stderr
    assert f"core {new_id}" in up.stdout


def bootstrap(project: Project, **env: str) -> subprocess.CompletedProcess[str]:
    """Run the bootstrap command as the application's start script would."""
    return subprocess.run(
        [sys.executable, "-m", "mcpgateway.migrate", "bootstrap"],
        cwd=project.root,
        env={**project.env, **env},
        capture_output=True,
        text=True,
        check=False,
    )


def test_bootstrap_behind_at_head_skip_ahead_and_unversioned(project_on: Project) -> None:
    """Assert each start-up case: migrate when behind, nothing at head, skip, refuse."""
    url = project_on.env["DATABASE_URL"]
    skipped = bootstrap(project_on, MCPGATEWAY_SKIP_MIGRATIONS="true")
    assert skipped.returncode != 0
    assert "MCPGATEWAY_SKIP_MIGRATIONS is set and the database is behind head" in skipped.stderr
    assert "tools" not in tables(url)

    first = bootstrap(project_on)
    assert first.returncode == 0, first.stderr
    assert "bootstrap: upgraded:" in first.stdout
    second = bootstrap(project_on)
    assert second.stdout.strip() == "bootstrap: at head, nothing to do"
    assert "Running upgrade" not in second.stderr

    execute(url, "UPDATE alembic_version SET version_num = 'feedface0001'")
    ahead = bootstrap(project_on)
    assert ahead.returncode != 0
    assert "the database records revision feedface0001" in ahead.stderr
    assert "Traceback" not in ahead.stderr

    execute(url, "DROP TABLE alembic_version")
    unversioned = bootstrap(project_on)
    assert unversioned.returncode != 0
    assert "but no version table (alembic_version)" in unversioned.stderr
    assert_one_error(project_on.make("db-up"), "but no version table (alembic_version)", "db-stamp")
    assert "tools" in tables(url)


def test_backup_and_restore_round_trip(project_on: Project) -> None:
    """Assert that a backup restores the data it was taken with, after a confirmation."""
    url = project_on.env["DATABASE_URL"]
    up = project_on.make("db-up", "BACKUP=1")
    assert up.returncode != 0 or "backed up to" in up.stdout
    if up.returncode != 0:  # a fresh SQLite database has no file to back up yet
        assert_one_error(up, "nothing to back up")
        assert project_on.make("db-up").returncode == 0
    path = back_up_one_user(project_on)
    execute(url, "DELETE FROM email_users")
    assert count(url, "email_users") == 0

    assert_one_error(project_on.make("db-restore", f"FILE={path}"), "YES=1")
    assert count(url, "email_users") == 0
    restored = project_on.make("db-restore", f"FILE={path}", "YES=1")
    assert restored.returncode == 0, restored.stderr
    assert "saved the current database first to backups/" in restored.stdout
    assert count(url, "email_users") == 1
    status = project_on.make("db-status")
    assert status.returncode == 0
    assert "pending: none" in status.stdout


@pytest.mark.parametrize("backend", ["postgresql", "mysql"])
def test_backup_tools_never_see_the_password_on_the_command_line(backend: str) -> None:
    """Assert that pg_dump and mariadb-dump get the password through the environment."""
    from mcpgateway.migrate.clients import client_options

    url = sa.engine.make_url(f"{backend}://app:s3cret@db:1/x")
    args, env = client_options(url)
    assert "s3cret" not in " ".join(args)
    assert "s3cret" in (env.get("PGPASSWORD", "") + env.get("MYSQL_PWD", ""))
