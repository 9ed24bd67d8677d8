"""db-check, db-sql, db-status, db-info, db-heads, db-show, db-stamp and db-merge, end to end."""

import re
import subprocess
import sys

from tests.conftest import Project
from tests.helpers import (
    add_preview_url_to_tools,
    assert_one_error,
    fork_history,
    head_revision,
    tables,
)


def status(project: Project) -> subprocess.CompletedProcess[str]:
    """Run the CLI's status directly, to read its own exit code (make turns 1 into 2)."""
    return subprocess.run(
        [sys.executable, "-m", "mcpgateway.migrate", "status"],
        cwd=project.root,
        env=project.env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_db_check_passes_then_names_the_missing_column(project: Project) -> None:
    """Assert that db-check passes as shipped, and names a model change with no revision."""
    ok = project.make("db-check")
    assert ok.returncode == 0, ok.stderr
    assert ok.stdout.strip().splitlines() == [
        "ok: the models match the migrations (checked against a scratch database), one head "
        "each; applied revisions not checked (no database at ./mcp.db)"
    ]
    add_preview_url_to_tools(project)
    drifted = project.make("db-check")
    assert drifted.returncode != 0
    assert "Traceback" not in drifted.stderr
    assert "  tools.preview_url: column in models, not in migrations" in drifted.stderr
    assert "Detected added column" not in drifted.stderr  # once, in our words
    assert "error: the models and the migrations differ (1)" in drifted.stderr


def test_db_check_fails_on_forked_history(project: Project) -> None:
    """Assert that db-check exits 1 when one history has two heads."""
    first, second = fork_history(project)
    assert_one_error(project.make("db-check"), "multiple heads", first, second, "make db-merge")


def test_db_check_live_compares_the_configured_database(project_at_head: Project) -> None:
    """Assert that LIVE=1 checks the real database: ok at head, then names the change."""
    live = project_at_head.make("db-check", "LIVE=1")
    assert live.returncode == 0, live.stderr
    assert "checked against " in live.stdout
    add_preview_url_to_tools(project_at_head)
    assert (
        "tools.preview_url: column in models" in project_at_head.make("db-check", "LIVE=1").stderr
    )


def test_db_sql_needs_no_database(project: Project) -> None:
    """Assert that db-sql prints each dialect's DDL offline, even with the server unreachable."""
    project.env["DATABASE_URL"] = "postgresql://nobody:secret@127.0.0.1:1/none"
    outputs = {}
    for dialect in ("postgresql", "mysql"):
        result = project.make("db-sql", f"DIALECT={dialect}")
        assert result.returncode == 0, result.stderr
        assert "CREATE TABLE tools" in result.stdout
        assert "UPDATE tools SET slug=" in result.stdout  # the backfill, as one statement offline
        outputs[dialect] = result.stdout
    assert "VARCHAR(36)" in outputs["postgresql"]
    # SQLite rebuilds tools for the slug's NOT NULL (batch mode): that needs a live database.
    rebuild = project.make("db-sql", "DIALECT=sqlite")
    assert_one_error(rebuild, "offline SQL for SQLite stops at alembic/versions/", "REV=start:end")
    initial = re.search(r"<base> -> (\w+)", project.run("alembic", "history").stdout)
    assert initial is not None
    first = project.make("db-sql", "DIALECT=sqlite", f"REV=base:{initial[1]}")
    assert first.returncode == 0, first.stderr
    assert "CREATE TABLE tools" in first.stdout
    assert "ENGINE" not in outputs["postgresql"]
    configured = project.make("db-sql")
    assert configured.returncode == 0, configured.stderr
    assert configured.stdout == outputs["postgresql"]


def test_db_sql_file_and_range(project: Project) -> None:
    """Assert that FILE= writes the SQL, REV=a:b limits it, and bad values get one line."""
    result = project.make("db-sql", "DIALECT=mysql", "FILE=out.sql")
    assert result.returncode == 0, result.stderr
    written = (project.root / "out.sql").read_text()
    assert written.count("CREATE TABLE") == 17
    head = head_revision(project)
    empty = project.make("db-sql", f"REV={head}:heads", "DIALECT=sqlite")
    assert empty.returncode == 0
    assert "CREATE TABLE tools" not in empty.stdout
    assert_one_error(project.make("db-sql", "DIALECT=oracle"), "DIALECT=oracle is not one of")
    assert_one_error(project.make("db-sql", "FILE=missing/dir/out.sql"), "does not exist")


def test_db_sql_never_overwrites_unasked(project: Project) -> None:
    """Assert that FILE= refuses the configured database (even with FORCE=1), an existing file
    without FORCE=1 (it is left as it was) and a folder; FORCE=1 replaces; a failed run
    leaves no partial file."""
    assert project.make("db-up").returncode == 0
    database = (project.root / "mcp.db").read_bytes()
    for force in ((), ("FORCE=1",)):
        line = assert_one_error(project.make("db-sql", "FILE=mcp.db", *force), "FILE=mcp.db")
        assert "configured database" in line
    assert (project.root / "mcp.db").read_bytes() == database
    kept = project.root / "kept.sql"
    kept.write_text("mine\n")
    assert_one_error(project.make("db-sql", "FILE=kept.sql", "DIALECT=mysql"), "FORCE=1")
    assert kept.read_text() == "mine\n"
    assert project.make("db-sql", "FILE=kept.sql", "DIALECT=mysql", "FORCE=1").returncode == 0
    assert "CREATE TABLE tools" in kept.read_text()
    (project.root / "folder").mkdir()
    assert_one_error(project.make("db-sql", "FILE=folder"), "is a folder")
    assert_one_error(project.make("db-sql", "FILE=bad.sql", "REV=zzz:heads"), "zzz")
    assert not list(project.root.glob("*bad.sql*"))


def test_db_status_lists_pending_and_exits_1_until_at_head(project_on: Project) -> None:
    """Assert that status shows current, head and pending, exiting 1 behind and 0 at head."""
    behind = status(project_on)
    assert behind.returncode == 1
    head = head_revision(project_on)
    assert f"core  current base  head {head}  3 pending" in behind.stdout
    assert "pending: 3 (make db-up applies them)" in behind.stdout
    assert f"  {head}  core  CHECK constraints named as the models" in behind.stdout
    assert "core  tools: slug, backfilled from the name" in behind.stdout
    assert behind.stdout.index(f"  {head}  core") > behind.stdout.index("initial core schema")
    assert project_on.make("db-up").returncode == 0
    at_head = status(project_on)
    assert at_head.returncode == 0
    assert f"core  current {head}  head {head}  up to date" in at_head.stdout
    assert "pending: none, the database is at head" in at_head.stdout


def test_db_info_shows_sources_and_hides_the_password(project_on: Project) -> None:
    """Assert that db-info names each setting's source, masks the URL and reports revisions."""
    (project_on.root / ".env").write_text("DATABASE_CONNECT_TIMEOUT=7\n")
    url = project_on.env["DATABASE_URL"]
    if "@" in url:
        # PostgreSQL here trusts local logins, MariaDB's root has none: a wrong one is fine.
        scheme, rest = url.split("://", 1)
        user, host = rest.split("@", 1)
        project_on.env["DATABASE_URL"] = f"{scheme}://{user}:hunter2-secret@{host}"
    result = project_on.make("db-info")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "hunter2-secret" not in out + result.stderr
    assert "DATABASE_URL" in out
    assert "(env)" in out.split("DATABASE_URL", 1)[1].splitlines()[0]
    assert "7  (.env)" in out
    assert "False  (default)" in out
    assert f"heads                      {head_revision(project_on)}" in out
    assert "version locations" in out
    assert "current" in out


def test_db_stamp_show_heads(project_on: Project) -> None:
    """Assert that stamp records a revision without running it, and show/heads describe it."""
    head = head_revision(project_on)
    assert_one_error(project_on.make("db-stamp"), "REV is required")
    stamped = project_on.make("db-stamp", f"REV={head}")
    assert stamped.returncode == 0, stamped.stderr
    assert f"is at core {head}" in stamped.stdout
    assert "tools" not in tables(project_on.env["DATABASE_URL"])
    assert status(project_on).returncode == 0
    shown = project_on.make("db-show", "REV=head")
    assert shown.returncode == 0
    assert f"Rev: {head} (head)" in shown.stdout
    heads = project_on.make("db-heads")
    assert heads.returncode == 0
    assert f"Rev: {head} (head)" in heads.stdout


def test_db_merge_joins_forked_heads(project_on: Project) -> None:
    """Assert that db-merge writes one merge revision over the forked heads, and db-up runs it."""
    assert_one_error(project_on.make("db-merge", "MSG=merge"), "nothing to merge")
    first, second = fork_history(project_on)
    before = project_on.versions()
    merged = project_on.make("db-merge", "MSG=merge heads")
    assert merged.returncode == 0, merged.stderr
    added = project_on.versions() - before
    assert len(added) == 1
    text = (project_on.root / "alembic" / "versions" / added.pop()).read_text()
    assert first in text
    assert second in text
    assert "db-lint: 1 revision: 0 errors" in merged.stdout  # a merge has nothing to undo
    assert project_on.make("db-up").returncode == 0
    assert status(project_on).returncode == 0
    # One step back from a merge is ambiguous: the line says so, and naming a parent works.
    line = assert_one_error(project_on.make("db-down"), "REV=-1 cannot be walked", "db-history")
    assert "below base" not in line
    stepped = project_on.make("db-down", f"REV={first}")
    assert stepped.returncode == 0, stepped.stderr
