"""The preflight's refusals, each with advice that works when typed, on every backend; and what
can never make the at-head answer say "at head" wrongly (a subfolder revision, a forged cache)."""

import json
from pathlib import Path

import pytest

from tests.conftest import Project
from tests.helpers import assert_one_error, execute, head_revision, revision_file, tables
from tests.test_at_head import NEW_REVISION, fast
from tests.test_plugins import RATE_LIMIT_TABLES, rate_limit_revision

CORE_ROOT = "944f8b89e0f2"  # the initial core revision, which rate_limit depends on


def test_interrupted_plugin_revision_advises_its_own_base(project_on: Project) -> None:
    """Assert that a plugin's first revision left running names rate_limit@base (not base,
    which would wipe the core's row), a db-sql range that shows it alone, and that both
    outcomes advised end in a good state."""
    url = project_on.env["DATABASE_URL"]
    project_on.env["PLUGINS"] = "rate_limit"
    assert project_on.make("db-up").returncode == 0
    plugin = rate_limit_revision(project_on)
    execute(url, f"UPDATE mcpgateway_revisions SET state = 'running' WHERE revision = '{plugin}'")
    line = assert_one_error(project_on.make("db-up"), f"revision {plugin}", "stopped part-way")
    assert f"make db-stamp REV={plugin} (done) or REV=rate_limit@base (undone)" in line
    assert f"make db-sql REV={CORE_ROOT}:{plugin}" in line
    sql = project_on.make("db-sql", f"REV={CORE_ROOT}:{plugin}", "DIALECT=postgresql")
    assert sql.returncode == 0, sql.stderr
    assert "CREATE TABLE rate_limit_policies" in sql.stdout
    assert "CREATE TABLE tools" not in sql.stdout
    # "undone": drop what it made by hand, record rate_limit@base, and run it again.
    execute(url, "DROP TABLE rate_limit_counters", "DROP TABLE rate_limit_policies")
    undone = project_on.make("db-stamp", "REV=rate_limit@base")
    assert undone.returncode == 0, undone.stderr
    assert f"core {head_revision(project_on)}" in undone.stdout  # the core's row is untouched
    again = project_on.make("db-up")
    assert again.returncode == 0, again.stderr
    assert tables(url) >= RATE_LIMIT_TABLES


def test_tables_without_their_history_are_refused(project_on: Project) -> None:
    """Assert that a history with no recorded revision whose tables are there already (a plugin
    row deleted, or an emptied version table) is refused before anything runs, and that the
    advised db-stamp then lets db-up finish."""
    url = project_on.env["DATABASE_URL"]
    project_on.env["PLUGINS"] = "rate_limit"
    assert project_on.make("db-up").returncode == 0
    plugin = rate_limit_revision(project_on)
    execute(url, f"DELETE FROM alembic_version WHERE version_num = '{plugin}'")
    assert_one_error(project_on.make("db-up"), "rate_limit has no recorded revision", "db-stamp")
    status = project_on.make("db-status")  # says what db-up will do, not "1 pending"
    assert status.returncode == 1
    assert "db-up would refuse: rate_limit has no recorded revision" in status.stdout
    assert project_on.make("db-stamp", f"REV={plugin}").returncode == 0
    assert project_on.make("db-up").returncode == 0
    execute(url, "DELETE FROM alembic_version")
    assert_one_error(project_on.make("db-up"), "records no revision", "REV=heads")
    assert project_on.make("db-stamp", "REV=heads").returncode == 0
    final = project_on.make("db-up")
    assert final.returncode == 0, final.stderr
    assert "rate_limit 0" in final.stdout


def test_a_row_beside_its_own_descendant_is_refused(project_on: Project) -> None:
    """Assert that a version row whose revision a later row already implies is refused by both
    paths alike, and that the advised DELETE repairs it."""
    url = project_on.env["DATABASE_URL"]
    assert project_on.make("db-up").returncode == 0
    execute(url, f"INSERT INTO alembic_version (version_num) VALUES ('{CORE_ROOT}')")
    line = assert_one_error(project_on.make("db-up"), CORE_ROOT)
    advice = line.split("Delete it: ", 1)[1]
    execute(url, advice)
    assert fast(project_on.make("db-up"))


def test_relative_steps_past_either_end_are_named(project_on: Project) -> None:
    """Assert that REV=+N past head and REV=-N below base say so, and change nothing."""
    assert project_on.make("db-up", "REV=+1").returncode == 0
    assert_one_error(project_on.make("db-up", "REV=+3"), "REV=+3 goes past head", "2 pending")
    assert_one_error(project_on.make("db-down", "REV=-2"), "REV=-2 goes below base")
    assert "current 944f8b89e0f2" in project_on.make("db-status").stdout


def test_a_revision_in_a_subfolder_is_never_missed(project: Project, tmp_path: Path) -> None:
    """Assert that with recursive_version_locations, a revision added in a subfolder of
    versions/ sends db-up the full way, and is applied."""
    project.env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'sub.db'}"
    ini = project.root / "alembic.ini"
    ini.write_text(
        ini.read_text().replace("[alembic]\n", "[alembic]\nrecursive_version_locations = true\n")
    )
    assert project.make("db-up").returncode == 0
    assert fast(project.make("db-up"))
    sub = project.root / "alembic" / "versions" / "sub"
    sub.mkdir()
    (sub / "20990101_000000_fast_notes.py").write_text(
        NEW_REVISION.format(head=head_revision(project))
    )
    applied = project.make("db-up")
    assert applied.returncode == 0, applied.stderr
    assert "core fa57000000e1" in applied.stdout


def test_a_forged_cache_is_never_believed(project: Project, tmp_path: Path) -> None:
    """Assert that a cache whose own record of the folders was emptied does not hide a new
    revision: the folders are read from alembic.ini and PLUGINS, never from the cache."""
    project.env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'forged.db'}"
    assert project.make("db-up").returncode == 0
    cache = project.root / ".mcpgateway_cache" / "revisions.json"
    data = json.loads(cache.read_text())
    data["key"]["locations"], data["key"]["files"] = [], {}
    cache.write_text(json.dumps(data))
    added = project.root / "alembic" / "versions" / "20990101_000000_fast_notes.py"
    added.write_text(NEW_REVISION.format(head=head_revision(project)))
    applied = project.make("db-up")
    assert applied.returncode == 0, applied.stderr
    assert "core fa57000000e1" in applied.stdout


def test_a_revision_id_declared_twice_is_named(project_on: Project) -> None:
    """Assert that two files declaring one revision id are named, with advice that is not the
    merge Alembic's "multiple heads" would lead to (db-merge cannot merge a head with itself)."""
    assert project_on.make("db-up").returncode == 0
    original = revision_file(project_on, head_revision(project_on))
    copy = original.with_name("20990101_000000_copy.py")
    copy.write_text(original.read_text())
    # Alembic warns as it keeps one of the two; this suite turns warnings into errors.
    with pytest.warns(UserWarning, match="present more than once"):
        up = project_on.make("db-up")
    assert_one_error(up, "is declared by 2 files", copy.name)
    merge = project_on.make("db-merge", "MSG=merge")  # refused before Alembic reads a file
    assert_one_error(merge, "is declared by 2 files", copy.name)
    copy.unlink()
    assert fast(project_on.make("db-up"))


def test_a_first_revision_that_stopped_part_way_is_reported_as_such(project_on: Project) -> None:
    """Assert that a history's first revision left running, with some of its tables and no
    version row (a MariaDB crash), is reported as stopped part-way, not as foreign tables;
    that a stamp which fails leaves the marker; and that "done" records the checksum, so a
    later edit is still caught."""
    url = project_on.env["DATABASE_URL"]
    assert project_on.make("db-up", f"REV={CORE_ROOT}").returncode == 0
    execute(
        url,
        "DELETE FROM alembic_version",
        f"UPDATE mcpgateway_revisions SET state = 'running' WHERE revision = '{CORE_ROOT}'",
    )
    assert_one_error(project_on.make("db-up"), "stopped part-way", f"REV={CORE_ROOT} (done)")
    assert "db-up would refuse: revision" in project_on.make("db-status").stdout
    assert_one_error(project_on.make("db-stamp", "REV=b00000000000"), "REV=b00000000000")
    assert_one_error(project_on.make("db-up"), "stopped part-way")  # the marker stayed
    done = project_on.make("db-stamp", f"REV={CORE_ROOT}")
    assert done.returncode == 0, done.stderr
    path = revision_file(project_on, CORE_ROOT)
    path.write_text(path.read_text().replace("UUID_LENGTH = 36", "UUID_LENGTH = 37"))
    assert_one_error(project_on.make("db-up"), CORE_ROOT, "changed after it was applied")


def test_relative_up_and_readers_with_plugins_and_odd_rows(project_on: Project) -> None:
    """Assert that REV=+1 with a plugin enabled steps the core, and that every reader (not
    only db-up) names a version row beside its descendant in one line."""
    url = project_on.env["DATABASE_URL"]
    project_on.env["PLUGINS"] = "rate_limit"
    stepped = project_on.make("db-up", "REV=+1")
    assert stepped.returncode == 0, stepped.stderr
    assert f"core {CORE_ROOT}; rate_limit base" in stepped.stdout
    assert project_on.make("db-up").returncode == 0
    execute(url, f"INSERT INTO alembic_version (version_num) VALUES ('{CORE_ROOT}')")
    for target in ("db-status", "db-current", "db-down", "db-bootstrap"):
        assert_one_error(
            project_on.make(target), f"records {CORE_ROOT} beside", "DELETE FROM alembic_version"
        )


FAILING_DOWNGRADE = '''"""two notes tables, and a downgrade that fails half-way"""

import sqlalchemy as sa
from alembic import op

revision = "d0e500000001"
down_revision = "{parent}"
branch_labels = None
depends_on = None
downgrade_loses = ("notes_a", "notes_b")


def upgrade() -> None:
    """Create both."""
    op.create_table("notes_a", sa.Column("id", sa.Integer(), primary_key=True))
    op.create_table("notes_b", sa.Column("id", sa.Integer(), primary_key=True))


def downgrade() -> None:
    """Drop one, then fail."""
    op.drop_table("notes_b")
    raise RuntimeError("the downgrade broke here")
'''


def test_a_downgrade_that_stops_part_way_is_reported(project_on: Project) -> None:
    """Assert that a downgrade failing after a statement rolls back on PostgreSQL and SQLite,
    and on MariaDB is reported as stopped part-way while being reverted (by db-up and
    db-status), with advice that reaches a good state when followed."""
    url = project_on.env["DATABASE_URL"]
    parent = head_revision(project_on)
    path = project_on.root / "alembic" / "versions" / "20990101_000000_failing_downgrade.py"
    path.write_text(FAILING_DOWNGRADE.format(parent=parent))
    assert project_on.make("db-up").returncode == 0
    assert_one_error(project_on.make("db-down"), "the downgrade broke here")
    if not url.startswith("mysql"):
        assert {"notes_a", "notes_b"} <= tables(url)  # rolled back whole
        assert fast(project_on.make("db-up"))
        return
    line = assert_one_error(project_on.make("db-up"), "stopped part-way while being reverted")
    assert f"make db-stamp REV={parent} (reverted) or REV=d0e500000001 (kept)" in line
    assert "db-up would refuse" in project_on.make("db-status").stdout
    execute(url, "DROP TABLE notes_a")  # finish the revert by hand, then record it
    assert project_on.make("db-stamp", f"REV={parent}").returncode == 0
    again = project_on.make("db-up")  # the revision applies anew, and is recorded
    assert again.returncode == 0, again.stderr
    assert {"notes_a", "notes_b"} <= tables(url)
    assert fast(project_on.make("db-up"))


UNPORTABLE = '''"""a note table and a column MariaDB cannot create"""

import sqlalchemy as sa
from alembic import op

revision = "0dd500000001"
down_revision = "{parent}"
branch_labels = None
depends_on = None
downgrade_loses = ("tools.notes", "note_x")


def upgrade() -> None:
    """A table first, then the column: on MariaDB the table would stay behind."""
    op.create_table("note_x", sa.Column("id", sa.Integer, primary_key=True))
    op.add_column("tools", sa.Column("notes", sa.String()))


def downgrade() -> None:
    """Undo it."""
    op.drop_column("tools", "notes")
    op.drop_table("note_x")
'''


def test_a_revision_mariadb_cannot_compile_is_refused_before_it_starts(
    project_on: Project,
) -> None:
    """Assert that db-up on MariaDB refuses a pending revision it cannot compile before its
    first statement (nothing made, nothing marked), naming the revision, line and column;
    the backends that can create it apply it."""
    url = project_on.env["DATABASE_URL"]
    assert project_on.make("db-up").returncode == 0
    path = project_on.root / "alembic" / "versions" / "20990101_000000_unportable.py"
    path.write_text(UNPORTABLE.format(parent=head_revision(project_on)))
    result = project_on.make("db-up")
    if url.startswith("mysql"):
        assert_one_error(result, "0dd500000001", "cannot run on MariaDB/MySQL", "tools.notes")
        assert "note_x" not in tables(url)
        assert "db-up would refuse" not in project_on.make("db-status").stdout
    else:
        assert result.returncode == 0, result.stderr
        assert "note_x" in tables(url)
