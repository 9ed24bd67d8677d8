"""A fresh database ends exactly as one migrated step by step, down to what autogenerate cannot
see (a view made by hand), proven by the database's own dump on every backend."""

from mcpgateway.migrate.checks.dump import schema_dump as dump
from tests.backends import another_database
from tests.conftest import Project, lay_example
from tests.helpers import execute


def test_a_view_made_by_a_revision_is_in_a_fresh_database(project_on: Project) -> None:
    """Assert that db-up on an empty database builds the view a revision makes by hand, that
    db-check and db-status then agree, and that the dump equals a step-by-step migration's."""
    lay_example(project_on, "view_history")
    url = project_on.env["DATABASE_URL"]
    assert project_on.make("db-check").returncode == 0
    fresh = project_on.make("db-up")
    assert fresh.returncode == 0, fresh.stderr
    execute(url, "INSERT INTO tools (id, name, enabled) VALUES (1, 'echo', true)")
    execute(url, "SELECT id, name FROM active_tools")  # the view answers
    assert project_on.make("db-status").returncode == 0
    check = project_on.make("db-check", "LIVE=1")
    assert check.returncode == 0, check.stderr
    execute(url, "DELETE FROM tools")
    with another_database(url) as stepwise:
        for _ in range(2):
            step = project_on.make("db-up", "REV=+1", DATABASE_URL=stepwise)
            assert step.returncode == 0, step.stderr
        assert dump(stepwise) == dump(url)
        assert "active_tools" in dump(url)
