"""The toolkit's pytest plugin (mcpgateway.migrate.testing): ``database_at_head`` hands each test
a new database at head, its own, built as make db-up builds it, and drops it afterwards."""

from pathlib import Path

import sqlalchemy as sa

from mcpgateway.migrate.checks.dump import loadable_dump
from mcpgateway.migrate.testing import HeadDatabases, provisioned
from tests.conftest import Project
from tests.helpers import count, execute, head_revision, versions_of
from tests.test_schema_files import with_schema_files


def test_a_database_at_head_is_at_head_and_a_copy_of_its_own(
    project: Project, head_databases: HeadDatabases, db_backend: str, tmp_path: Path
) -> None:
    """Assert that two databases from the fixture are at head, pass db-status and db-check
    LIVE=1, dump alike (and like one make db-up builds), and that a row written in one is not
    in the other; and that both are gone afterwards."""
    (tmp_path / "one").mkdir()
    (tmp_path / "two").mkdir()
    (tmp_path / "up").mkdir()
    with_schema_files(project)
    with (
        head_databases.fresh(db_backend, tmp_path / "one") as one,
        head_databases.fresh(db_backend, tmp_path / "two") as two,
    ):
        assert one != two
        assert versions_of(one) == {head_revision(project)}
        for target in ("db-status", "db-verify"):
            checked = project.make(target, DATABASE_URL=one)
            assert checked.returncode == 0, checked.stderr
        live = project.make("db-check", "LIVE=1", DATABASE_URL=one)
        assert live.returncode == 0, live.stderr
        assert loadable_dump(one, ledger=True) == loadable_dump(two, ledger=True)
        execute(
            one,
            "INSERT INTO email_users (email, is_admin, is_active, created_at, updated_at) "
            "VALUES ('one@example.com', false, true, '2026-01-01', '2026-01-01')",
        )
        assert count(one, "email_users") == 1
        assert count(two, "email_users") == 0
        with provisioned(db_backend, tmp_path / "up") as empty:
            made = project.make("db-up", DATABASE_URL=empty)
            assert made.returncode == 0, made.stderr
            assert loadable_dump(empty, ledger=True) == loadable_dump(two, ledger=True)
    if db_backend != "sqlite":
        for gone in (one, two):
            engine = sa.create_engine(gone, poolclass=sa.pool.NullPool)
            try:
                with engine.connect():
                    raise AssertionError(f"{gone} is still there")
            except sa.exc.OperationalError:
                pass
            finally:
                engine.dispose()
