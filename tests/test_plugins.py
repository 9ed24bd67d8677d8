"""Plugins own their tables and their history; core and plugins never touch each other."""

import argparse
import contextlib
import io
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from mcpgateway.migrate.cli import _fail
from mcpgateway.migrate.commands.plugin_new import UNFINISHED
from tests.conftest import PROJECT_ROOT, Project
from tests.helpers import (
    add_preview_url_to_tools,
    assert_one_error,
    count,
    execute,
    head_revision,
    tables,
    versions_of,
)

RATE_LIMIT_TABLES = {"rate_limit_policies", "rate_limit_counters"}
SEED_CORE = (
    "INSERT INTO email_teams (id, name, slug, is_personal, visibility, created_at, updated_at) "
    "VALUES ('t1', 'Team', 'team', false, 'team', '2026-01-01', '2026-01-01')",
    "INSERT INTO tools (id, name, original_name, integration_type, request_type, headers, "
    "input_schema, annotations, enabled, reachable, visibility, created_at, updated_at, slug) "
    "VALUES ('tool1', 'echo', 'echo', 'mcp', 'POST', '{}', '{}', '{}', true, true, 'public', "
    "'2026-01-01', '2026-01-01', 'echo')",
)
SEED_RATE_LIMIT = (
    "INSERT INTO rate_limit_policies (id, tool_id, team_id, max_calls, window_seconds, enabled, "
    "created_at, updated_at) VALUES ('p1', 'tool1', 't1', 10, 60, true, '2026-01-01', "
    "'2026-01-01')",
)


@pytest.fixture(scope="session")
def audit_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example entry-point plugin, pip-installed (built from a copy) into a temp folder."""
    source = tmp_path_factory.mktemp("audit-src") / "pkg"
    shutil.copytree(PROJECT_ROOT / "tests" / "examples" / "entry_point_plugin", source)
    site = tmp_path_factory.mktemp("audit-site")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--no-deps",
            "--target",
            str(site),
            str(source),
        ],
        check=True,
        capture_output=True,
    )
    return site


def rate_limit_revision(project: Project) -> str:
    """The example plugin's first revision id."""
    versions = project.root / "mcpgateway" / "plugins" / "rate_limit" / "versions"
    (path,) = versions.glob("*.py")
    return next(
        line.split('"')[1] for line in path.read_text().splitlines() if line.startswith("revision")
    )


def test_two_plugins_then_one_down_to_base_leaves_the_rest(
    project_on: Project, audit_site: Path
) -> None:
    """Assert that downgrading one plugin to base keeps the core, the other plugin and data."""
    url = project_on.env["DATABASE_URL"]
    project_on.env |= {"PLUGINS": "rate_limit,audit", "PYTHONPATH": str(audit_site)}
    up = project_on.make("db-up")
    assert up.returncode == 0, up.stderr
    assert {"tools", "audit_events", *RATE_LIMIT_TABLES} <= tables(url)
    execute(url, *SEED_CORE, *SEED_RATE_LIMIT)
    execute(
        url,
        "INSERT INTO audit_events (id, team_id, tool_id, action, detail, created_at, updated_at) "
        "VALUES ('e1', 't1', 'tool1', 'call', '{}', '2026-01-01', '2026-01-01')",
    )
    status = project_on.make("db-status")
    assert status.returncode == 0
    for name in ("core", "audit", "rate_limit"):
        assert any(
            line.startswith(name) and "up to date" in line for line in status.stdout.splitlines()
        )

    down = project_on.make("db-down", "PLUGIN=rate_limit", "REV=base")
    assert down.returncode == 0, down.stderr
    assert not RATE_LIMIT_TABLES & tables(url)
    assert (count(url, "tools"), count(url, "email_teams"), count(url, "audit_events")) == (1, 1, 1)
    assert "rate_limit base" in down.stdout
    assert f"core {head_revision(project_on)}" in down.stdout

    again = project_on.make("db-up", "PLUGIN=rate_limit")
    assert again.returncode == 0, again.stderr
    assert tables(url) >= RATE_LIMIT_TABLES
    assert count(url, "audit_events") == 1


def test_bare_db_down_will_not_drag_a_plugin_down(project_on: Project) -> None:
    """Assert that a bare db-down with a plugin on the core's head names the PLUGIN= to pass."""
    project_on.env["PLUGINS"] = "rate_limit"
    assert project_on.make("db-up").returncode == 0
    first = project_on.make("db-down", "REV=-2")  # the core's last steps: rate_limit needs neither
    assert first.returncode == 0, first.stderr
    assert_one_error(
        project_on.make("db-down"), "would also downgrade plugin rate_limit", "PLUGIN=rate_limit"
    )
    assert tables(project_on.env["DATABASE_URL"]) >= RATE_LIMIT_TABLES
    step = project_on.make("db-down", "PLUGIN=rate_limit")
    assert step.returncode == 0, step.stderr
    assert_one_error(project_on.make("db-down", "PLUGIN=rate_limit"), "no applied revision")
    core_down = project_on.make("db-down")
    assert core_down.returncode == 0, core_down.stderr
    assert "tools" not in tables(project_on.env["DATABASE_URL"])


def test_autogenerate_stays_in_its_own_history(project_on: Project) -> None:
    """Assert that core db-new sees only core tables, PLUGIN db-new only the plugin's."""
    url = project_on.env["DATABASE_URL"]
    first_plugin_revision = rate_limit_revision(project_on)
    project_on.env["PLUGINS"] = "rate_limit"
    assert project_on.make("db-up").returncode == 0
    execute(url, "CREATE TABLE legacy_stuff (id INTEGER PRIMARY KEY)")
    project_on.env["MIGRATION_IGNORE_TABLES"] = "legacy_*"  # another application's table
    add_preview_url_to_tools(project_on)
    models = project_on.root / "mcpgateway" / "plugins" / "rate_limit" / "models.py"
    anchor = "    enabled: Mapped[bool] = mapped_column(default=True)\n"
    models.write_text(
        models.read_text().replace(anchor, anchor + "    burst: Mapped[int | None]\n", 1)
    )
    core_versions = project_on.root / "alembic" / "versions"
    plugin_versions = models.parent / "versions"
    before = {*core_versions.glob("*.py"), *plugin_versions.glob("*.py")}

    core = project_on.make("db-new", "MSG=tool preview url")
    assert core.returncode == 0, core.stderr
    (core_file,) = set(core_versions.glob("*.py")) - before
    text = core_file.read_text()
    assert "preview_url" in text
    assert "rate_limit" not in text
    assert "legacy_stuff" not in text
    assert project_on.make("db-up").returncode == 0

    plugin = project_on.make("db-new", "PLUGIN=rate_limit", "MSG=burst allowance")
    assert plugin.returncode == 0, plugin.stderr
    (plugin_file,) = set(plugin_versions.glob("*.py")) - before
    text = plugin_file.read_text()
    assert "burst" in text
    assert "preview_url" not in text
    assert "legacy_stuff" not in text
    assert f'down_revision: str | Sequence[str] | None = "{first_plugin_revision}"' in text

    assert project_on.make("db-up").returncode == 0
    assert "legacy_stuff" in tables(url)
    assert project_on.make("db-check").returncode == 0


def test_disabling_a_plugin_loses_nothing(project_on: Project) -> None:
    """Assert that with the plugin disabled its tables and rows stay, and work goes on."""
    url = project_on.env["DATABASE_URL"]
    project_on.env["PLUGINS"] = "rate_limit"
    assert project_on.make("db-up").returncode == 0
    execute(url, *SEED_CORE, *SEED_RATE_LIMIT)

    project_on.env["PLUGINS"] = ""
    status = project_on.make("db-status")
    assert status.returncode == 0, status.stderr
    assert "(plugin disabled; tables kept)" in status.stdout
    add_preview_url_to_tools(project_on)
    new = project_on.make("db-new", "MSG=tool preview url")
    assert new.returncode == 0, new.stderr
    assert "rate_limit" not in new.stdout + "".join(
        p.read_text() for p in (project_on.root / "alembic" / "versions").glob("*preview*")
    )
    assert project_on.make("db-up").returncode == 0
    assert project_on.make("db-check").returncode == 0
    assert count(url, "rate_limit_policies") == 1

    project_on.env["PLUGINS"] = "rate_limit"
    assert project_on.make("db-up").returncode == 0
    assert count(url, "rate_limit_policies") == 1


def test_entry_point_plugin_is_discovered(project_on: Project, audit_site: Path) -> None:
    """Assert that an installed package's plugin migrates, reports, and steps back alone."""
    project_on.env |= {"PLUGINS": "audit", "PYTHONPATH": str(audit_site)}
    up = project_on.make("db-up")
    assert up.returncode == 0, up.stderr
    assert "audit a0d17e000001" in up.stdout
    info = project_on.make("db-current")
    assert "audit  a0d17e000001 (head)" in info.stdout
    history = project_on.make("db-history")
    assert "== audit ==" in history.stdout
    down = project_on.make("db-down", "PLUGIN=audit", "REV=base")
    assert down.returncode == 0, down.stderr
    assert "audit_events" not in tables(project_on.env["DATABASE_URL"])
    assert "tools" in tables(project_on.env["DATABASE_URL"])


def test_plain_alembic_sees_the_enabled_plugins(project_on: Project) -> None:
    """Assert that `alembic upgrade heads` applies exactly what `make db-up` applies."""
    project_on.env["PLUGINS"] = "rate_limit"
    plain = project_on.run("alembic", "upgrade", "heads")
    assert plain.returncode == 0, plain.stderr
    assert tables(project_on.env["DATABASE_URL"]) >= RATE_LIMIT_TABLES
    status = project_on.make("db-status")
    assert status.returncode == 0
    assert "pending: none" in status.stdout


@pytest.mark.parametrize("separator", ["space", "newline", "os"])
def test_plugin_folders_join_the_core_as_alembic_ini_splits_them(
    project_on: Project, separator: str
) -> None:
    """Assert that an enabled plugin's revisions are found whatever path_separator alembic.ini
    names (the toolkit adds the plugin's folder to version_locations with it), and with no
    version_locations at all (Alembic then reads <script_location>/versions)."""
    ini = project_on.root / "alembic.ini"
    text = ini.read_text()
    assert "path_separator = os\n" in text
    ini.write_text(text.replace("path_separator = os\n", f"path_separator = {separator}\n"))
    project_on.env |= {"PLUGINS": "rate_limit", "MIGRATION_SCHEMA_FILES": "false"}
    up = project_on.make("db-up")
    assert up.returncode == 0, up.stderr
    assert tables(project_on.env["DATABASE_URL"]) >= RATE_LIMIT_TABLES | {"tools"}
    assert project_on.make("db-down", "PLUGIN=rate_limit", "REV=base").returncode == 0
    ini.write_text(text.replace("version_locations = %(here)s/alembic/versions\n", ""))
    again = project_on.make("db-up")
    assert again.returncode == 0, again.stderr
    assert tables(project_on.env["DATABASE_URL"]) >= RATE_LIMIT_TABLES


def test_plugin_new_scaffolds_generates_and_applies(project_on: Project) -> None:
    """Assert that plugin-new writes the plugin, its first revision, and applies it."""
    made = project_on.make("plugin-new", "NAME=billing")
    assert made.returncode == 0, made.stderr
    folder = project_on.root / "mcpgateway" / "plugins" / "billing"
    (revision,) = (folder / "versions").glob("*.py")
    text = revision.read_text()
    assert 'branch_labels: str | Sequence[str] | None = ("billing",)' in text
    assert f'depends_on: str | Sequence[str] | None = "{head_revision(project_on)}"' in text
    assert '["tools.id"]' in text
    assert "billing_items" in tables(project_on.env["DATABASE_URL"])
    assert "PLUGINS=billing" in made.stdout
    project_on.env["PLUGINS"] = "billing"
    assert project_on.make("db-check").returncode == 0


@pytest.mark.parametrize(
    ("name", "fragment"),
    [
        ("", "NAME is required"),
        ("Billing", "lowercase Python identifier"),
        ("class", "lowercase Python identifier"),
        ("core", "reserved"),
        ("tools", "clashes with core table 'tools'"),
        ("email", "clashes with core table 'email_"),
        ("rate_limit", "exists already"),
        ("rate", "would mix with plugin rate_limit"),
    ],
)
def test_plugin_new_checks_the_name(project: Project, name: str, fragment: str) -> None:
    """Assert that a bad plugin name is refused in one line, and nothing is written."""
    before = sorted(p.name for p in (project.root / "mcpgateway" / "plugins").iterdir())
    assert_one_error(project.make("plugin-new", f"NAME={name}"), fragment)
    assert sorted(p.name for p in (project.root / "mcpgateway" / "plugins").iterdir()) == before


BAD_MODELS = {
    "redefines core table": (
        'class T(Base):\n    __tablename__ = "tools"\n'
        "    id: Mapped[int] = mapped_column(primary_key=True)\n",
        "plugin evil redefines table 'tools', which belongs to core",
    ),
    "extends core table": (
        'sa.Table("tools", Base.metadata, sa.Column("evil", sa.Integer), extend_existing=True)\n',
        "plugin evil redefines table 'tools', which belongs to core",
    ),
    "wrong prefix": (
        'class T(Base):\n    __tablename__ = "other_things"\n'
        "    id: Mapped[int] = mapped_column(primary_key=True)\n",
        "its tables must be named evil_*",
    ),
    "import error": ("VALUE = 1 / 0\n", "plugin evil failed to import at"),
    "replaces a core column": (
        'class T(Base):\n    __tablename__ = "tools"\n'
        '    __table_args__ = {"extend_existing": True}\n'
        "    id: Mapped[int] = mapped_column(primary_key=True)\n",
        "plugin evil redefines table 'tools', which belongs to core",
    ),
    "exits on import": ("raise SystemExit(0)\n", "plugin evil failed to import at"),
}


@pytest.mark.parametrize("case", sorted(BAD_MODELS))
def test_broken_plugins_are_named_and_change_nothing(project: Project, case: str) -> None:
    """Assert that a plugin that reaches into others' tables or breaks is refused up front."""
    body, fragment = BAD_MODELS[case]
    folder = project.root / "mcpgateway" / "plugins" / "evil"
    folder.mkdir()
    (folder / "__init__.py").write_text("")
    header = (
        "import sqlalchemy as sa\nfrom sqlalchemy.orm import Mapped, mapped_column\n\n"
        "from mcpgateway.db.base import Base\n\n"
    )
    (folder / "models.py").write_text(header + body)
    project.env["PLUGINS"] = "evil"
    for target in ("db-up", "db-new", "db-check"):
        assert_one_error(project.make(target, "MSG=x"), fragment)
    assert not (project.root / "mcp.db").exists() or "tools" not in tables(
        f"sqlite:///{project.root / 'mcp.db'}"
    )


def test_unknown_plugin_is_named(project: Project) -> None:
    """Assert that PLUGINS naming nothing installed says what was found."""
    project.env["PLUGINS"] = "nope"
    assert_one_error(project.make("db-up"), "PLUGINS names 'nope'", "found: rate_limit")
    project.env["PLUGINS"] = "rate_limit"
    assert_one_error(project.make("db-new", "MSG=x", "PLUGIN=other"), "PLUGIN=other")


def test_plugin_new_writes_nothing_when_the_database_is_unreachable(project: Project) -> None:
    """Assert that plugin-new against a database it cannot reach names it and writes nothing."""
    plugins = project.root / "mcpgateway" / "plugins"
    before = sorted(p.name for p in plugins.iterdir())
    project.env["DATABASE_URL"] = "postgresql://postgres@127.0.0.1:1/nowhere"
    assert_one_error(project.make("plugin-new", "NAME=audit"), "cannot connect")
    assert sorted(p.name for p in plugins.iterdir()) == before


def test_plugin_new_finishes_what_an_earlier_run_left(project_on: Project) -> None:
    """Assert that after a plugin-new that stopped part-way (scaffold written; or revision
    written but not applied), running it again finishes, and a finished one is refused."""
    url = project_on.env["DATABASE_URL"]
    assert project_on.make("plugin-new", "NAME=audit").returncode == 0
    folder = project_on.root / "mcpgateway" / "plugins" / "audit"
    assert not (folder / UNFINISHED).exists()
    assert_one_error(project_on.make("plugin-new", "NAME=audit"), "exists already")
    # As a run that stopped after writing the revision leaves it: not applied, marker there.
    project_on.env["PLUGINS"] = "audit"
    assert project_on.make("db-down", "PLUGIN=audit", "REV=base").returncode == 0
    del project_on.env["PLUGINS"]
    (folder / UNFINISHED).write_text("")
    for revision in ((), tuple((folder / "versions").glob("*.py"))):
        for path in revision:  # second round: a run that stopped before the revision
            path.unlink()
        assert "audit_items" not in tables(url)
        again = project_on.make("plugin-new", "NAME=audit")
        assert again.returncode == 0, again.stderr
        assert "finishing it" in again.stdout
        assert "audit_items" in tables(url)
        assert len(list((folder / "versions").glob("*.py"))) == 1
        project_on.env["PLUGINS"] = "audit"
        assert project_on.make("db-down", "PLUGIN=audit", "REV=base").returncode == 0
        del project_on.env["PLUGINS"]
        (folder / UNFINISHED).write_text("")


def test_a_command_that_stops_part_way_says_how_to_finish() -> None:
    """Assert that the error line of a command that set ``unfinished`` ends with it."""
    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        args = argparse.Namespace(unfinished="make plugin-new NAME=audit finishes it")
        assert _fail("database error: gone", 1, args) == 1
    assert err.getvalue() == "error: database error: gone; make plugin-new NAME=audit finishes it\n"


def test_plugin_new_undoes_a_first_revision_that_stopped_part_way(project_on: Project) -> None:
    """Assert that after plugin-new's first revision stopped part-way (its table made, no
    version row, marked running: MariaDB's DDL stays), running it again drops what that
    revision made and applies it whole."""
    url = project_on.env["DATABASE_URL"]
    assert project_on.make("plugin-new", "NAME=audit").returncode == 0
    folder = project_on.root / "mcpgateway" / "plugins" / "audit"
    (revision,) = (folder / "versions").glob("*.py")
    rev = revision.read_text().split('revision: str = "')[1].split('"')[0]
    # What the run left: the core's head recorded (the plugin's row, which stands for it once
    # written, never was), the plugin's table made, its revision marked running.
    core = head_revision(project_on)
    execute(
        url,
        "UPDATE alembic_version SET version_num = :core WHERE version_num = :rev",
        core=core,
        rev=rev,
    )
    execute(url, "UPDATE mcpgateway_revisions SET state = 'running' WHERE revision = :rev", rev=rev)
    (folder / UNFINISHED).write_text("")
    again = project_on.make("plugin-new", "NAME=audit")
    assert again.returncode == 0, again.stderr
    assert "dropped what it made (audit_items)" in again.stdout
    assert rev in versions_of(url)
    assert "audit_items" in tables(url)


def test_stamping_a_plugin_base_leaves_the_core_alone(project_on: Project) -> None:
    """Assert that db-stamp REV=<plugin>@base (the advice for an undone first revision)
    records the plugin as not applied and every other history exactly as it was."""
    url = project_on.env["DATABASE_URL"]
    project_on.env["PLUGINS"] = "rate_limit"
    assert project_on.make("db-up").returncode == 0
    core = head_revision(project_on)
    stamped = project_on.make("db-stamp", "REV=rate_limit@base")
    assert stamped.returncode == 0, stamped.stderr
    assert versions_of(url) == {core}
    assert "rate_limit base" in stamped.stdout
