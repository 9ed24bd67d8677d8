"""db-up with nothing to do is answered from the revision cache, without Alembic; a new, edited
or deleted revision file, or anything unusual in the database, sends it the full way."""

import sqlalchemy as sa

from mcpgateway.db import ledger
from mcpgateway.db.entry import plain_up
from tests.conftest import Project
from tests.helpers import assert_one_error, execute, head_revision

NEW_REVISION = '''"""a later revision"""

import sqlalchemy as sa
from alembic import op

revision = "fa57000000e1"
down_revision = "{head}"
branch_labels = None
depends_on = None
downgrade_loses = ("fast_notes",)


def upgrade() -> None:
    """Create a table."""
    op.create_table("fast_notes", sa.Column("id", sa.Integer(), primary_key=True))


def downgrade() -> None:
    """Drop it."""
    op.drop_table("fast_notes")
'''


def fast(result: object) -> bool:
    """Whether a db-up run took the fast path: Alembic, never imported, logged nothing."""
    return "alembic" not in getattr(result, "stderr", "x")


def test_only_a_plain_up_may_take_the_fast_path() -> None:
    """Assert which command lines the fast path may answer."""
    assert plain_up(["up", "--rev", "", "--plugin", ""])
    assert plain_up(["up", "--rev", "heads"])
    assert not plain_up(["up", "--rev", "-1"])
    assert not plain_up(["up", "--rev", "", "--plugin", "rate_limit"])
    assert not plain_up(["up", "--rev", "", "--plugin", "", "--backup"])
    assert not plain_up(["down", "--rev", ""])


def test_at_head_is_answered_fast_and_the_same(project_on: Project) -> None:
    """Assert that the second db-up says exactly what the first did, without Alembic, and
    that MIGRATION_FAST_PATH=false turns it off."""
    first = project_on.make("db-up")
    assert first.returncode == 0, first.stderr
    assert (project_on.root / ".mcpgateway_cache" / "revisions.json").is_file()
    again = project_on.make("db-up")
    assert again.returncode == 0, again.stderr
    assert fast(again), again.stderr
    assert again.stdout == first.stdout
    slow = project_on.make("db-up", MIGRATION_FAST_PATH="false")
    assert slow.returncode == 0
    assert not fast(slow)
    assert slow.stdout == first.stdout


def test_new_edited_and_deleted_revisions_are_always_seen(project_on: Project) -> None:
    """Assert that the cache never hides a change to the revision files."""
    assert project_on.make("db-up").returncode == 0
    head = head_revision(project_on)
    added = project_on.root / "alembic" / "versions" / "20990101_000000_fast_notes.py"
    added.write_text(NEW_REVISION.format(head=head))
    applied = project_on.make("db-up")
    assert applied.returncode == 0, applied.stderr
    assert "Running upgrade" in applied.stderr
    assert "core fa57000000e1" in applied.stdout
    assert fast(project_on.make("db-up"))

    added.write_text(
        added.read_text().replace('"fast_notes", sa.Column', '"fast_notes2", sa.Column')
    )
    assert_one_error(project_on.make("db-up"), "fa57000000e1", "changed after it was applied")
    added.unlink()
    assert_one_error(project_on.make("db-up"), "fa57000000e1")


def test_anything_unusual_goes_the_full_way(project_on: Project) -> None:
    """Assert that a revision left running, a checksum that differs, or a database not at
    head is never answered by the fast path (the full path then refuses or explains)."""
    url = project_on.env["DATABASE_URL"]
    assert project_on.make("db-up").returncode == 0
    assert fast(project_on.make("db-up"))
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    table = ledger.LEDGER
    try:
        with engine.connect() as conn:
            recorded = conn.execute(sa.select(table.c.revision, table.c.checksum)).all()
        for change in ({"state": "running"}, {"checksum": "edited"}):
            with engine.begin() as conn:
                conn.execute(table.update().values(change))
            assert not fast(project_on.make("db-up"))
            with engine.begin() as conn:
                for revision, checksum in recorded:
                    restore = {"state": ledger.APPLIED, "checksum": checksum}
                    conn.execute(table.update().where(table.c.revision == revision).values(restore))
        assert fast(project_on.make("db-up"))
    finally:
        engine.dispose()
    execute(url, "DELETE FROM alembic_version")
    assert not fast(project_on.make("db-up"))
