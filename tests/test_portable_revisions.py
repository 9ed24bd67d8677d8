"""A revision is generated against one backend and run on all three: what teams do. Generated
on SQLite, PostgreSQL and MariaDB in turn, one revision that adds a native enum column, a new
value of a non-native enum, a named CHECK and drops a table (its model deleted) goes up, down
and up on every backend, the database's own dump after down and up equal to the one before,
and db-check LIVE=1 finds nothing after it."""

from pathlib import Path

import pytest

from mcpgateway.migrate.checks.dump import schema_dump
from tests.backends import provisioned
from tests.conftest import Project
from tests.helpers import assert_one_error

MODELS = Path("mcpgateway") / "db" / "models"


def change_models(project: Project) -> None:
    """The developer's changes, in the copy's models."""
    gateways = project.root / MODELS / "gateways.py"
    text = gateways.read_text()
    anchor = "    last_seen: Mapped[datetime | None]\n"
    assert anchor in text
    text = text.replace(
        anchor,
        anchor + "    health: Mapped[str | None] = mapped_column(\n"
        '        sa.Enum("healthy", "degraded", "down", name="gateway_health")\n'
        "    )\n",
    )
    text = text.replace(
        '    __tablename__ = "gateways"\n',
        '    __tablename__ = "gateways"\n'
        '    __table_args__ = (sa.CheckConstraint("length(name) > 0", name="name_set"),)\n',
    )
    gateways.write_text(text)
    enums = project.root / MODELS / "enums.py"
    enums.write_text(
        enums.read_text().replace(
            '    STDIO = "stdio"\n', '    STDIO = "stdio"\n    WEBSOCKET = "websocket"\n'
        )
    )
    (project.root / MODELS / "subscriptions.py").unlink()
    init = project.root / MODELS / "__init__.py"
    init.write_text(
        init.read_text().replace("    subscriptions,\n", "").replace('"subscriptions",', "")
    )


def ok(project: Project, *args: str) -> None:
    """Run a make target that must succeed."""
    result = project.make(*args)
    assert result.returncode == 0, f"{args}: {result.stderr}"


@pytest.mark.parametrize("generated_on", ["sqlite", "postgresql", "mysql"])
def test_generated_on_one_backend_runs_on_every_backend(
    project: Project, generated_on: str, tmp_path: Path
) -> None:
    """Assert the revision written against ``generated_on`` works on all three backends."""
    (tmp_path / "gen").mkdir()
    with provisioned(generated_on, tmp_path / "gen") as url:
        project.env["DATABASE_URL"] = url
        ok(project, "db-up")
        change_models(project)
        found = project.make("db-check", "LIVE=1")
        assert "check constraint ck_gateways_transport on gateways: differs" in found.stderr
        ok(project, "db-new", "MSG=gateway health")
    for backend in ("sqlite", "postgresql", "mysql"):
        folder = tmp_path / backend
        folder.mkdir()
        with provisioned(backend, folder) as url:
            project.env["DATABASE_URL"] = url
            ok(project, "db-up")
            ok(project, "db-check", "LIVE=1")
            before = schema_dump(url)
            ok(project, "db-down")
            ok(project, "db-up")
            assert schema_dump(url) == before, f"generated on {generated_on}, run on {backend}"


def test_a_name_postgresql_would_cut_is_refused(project: Project) -> None:
    """Assert that a model table name over 63 bytes is named before anything is written."""
    tags = project.root / MODELS / "subscriptions.py"
    tags.write_text(
        tags.read_text().replace(
            '__tablename__ = "resource_subscriptions"',
            '__tablename__ = "resource_subscriptions_for_federated_capability_negotiation_'
            'audit_log"',
        )
    )
    for target in ("db-new", "db-check"):
        assert_one_error(project.make(target, "MSG=x"), "bytes long; PostgreSQL keeps 63")
