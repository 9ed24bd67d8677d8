"""Each troubleshooting case gives one clear line, a non-zero exit and no traceback."""

import time
from pathlib import Path

import pytest

from tests.backends import server_url
from tests.conftest import Project
from tests.helpers import (
    assert_one_error,
    execute,
    fork_history,
    head_revision,
    record_revision,
    run_sql_file,
    tables,
    versions_of,
)


def test_multiple_heads_stop_db_up_and_db_new(project: Project) -> None:
    """Assert that forked heads are named, with the way out, before anything runs."""
    first, second = fork_history(project)
    for args in (("db-up",), ("db-new", "MSG=x")):
        assert_one_error(project.make(*args), "multiple heads:", first, second, "make db-merge")


def test_unknown_recorded_revision(project_on: Project) -> None:
    """Assert that a revision the database records but no script has is named with the fix,
    and that the fix works as typed: db-stamp asks (YES=1 does not), saves the version rows
    privately, replaces the row, and db-up then reaches head."""
    assert project_on.make("db-up").returncode == 0
    url = project_on.env["DATABASE_URL"]
    head = head_revision(project_on)
    record_revision(url, "deadbeef0000")
    for target in ("db-up", "db-status", "db-current"):
        assert_one_error(
            project_on.make(target),
            "the database records revision deadbeef0000",
            "Restore the file",
            "make db-stamp REV=",
        )
    # Plain Alembic has not agreed to replace anything: refused, with the same advice.
    plain = project_on.run("alembic", "stamp", "heads")
    assert plain.returncode != 0
    assert "make db-stamp REV=" in plain.stderr, plain.stderr
    assert_one_error(project_on.make("db-stamp", f"REV={head}"), "confirm with YES=1")
    assert_one_error(project_on.make("db-stamp", "REV=nothere", "YES=1"), "REV=nothere")
    assert versions_of(url) == {"deadbeef0000"}, "a refused stamp changed the version rows"

    result = project_on.make("db-stamp", f"REV={head}", "YES=1")
    assert result.returncode == 0, result.stderr
    assert "records deadbeef0000, which no file has" in result.stdout
    saved = next((project_on.root / "backups").glob("*alembic_version*.sql"))
    assert saved.stat().st_mode & 0o077 == 0, "the saved version rows are readable by others"
    assert "VALUES ('deadbeef0000')" in saved.read_text()
    assert versions_of(url) == {head}
    assert project_on.make("db-up").returncode == 0
    assert project_on.make("db-status").returncode == 0


def test_db_new_while_behind_head(project_on: Project) -> None:
    """Assert that db-new on a database behind head says where it is and to run db-up."""
    head = head_revision(project_on)
    assert_one_error(
        project_on.make("db-new", "MSG=x"),
        "the database is behind head (at base",
        f"head is {head}",
        "run make db-up first",
    )


def test_unknown_rev_is_named(project_on: Project) -> None:
    """Assert that an unknown REV (a word, or hex like a revision id) is named on every target
    that takes one."""
    assert project_on.make("db-up").returncode == 0
    for target, rev in (("db-down", "zzz"), ("db-up", "cafe01"), ("db-show", "zzz")):
        assert_one_error(
            project_on.make(target, f"REV={rev}"), f"REV={rev}: no revision", "db-history"
        )
    assert_one_error(project_on.make("db-stamp", "REV=cafe01"), "REV=cafe01: no revision")


def test_rev_below_base_is_named(project_on: Project) -> None:
    """Assert that stepping back past base says so, and a db-down at base too."""
    assert project_on.make("db-up").returncode == 0
    assert_one_error(project_on.make("db-down", "REV=-5"), "REV=-5 goes below base")
    assert project_on.make("db-down", "REV=base").returncode == 0
    assert_one_error(project_on.make("db-down"), "REV=-1 goes below base")


def test_broken_model_module_is_named(project: Project) -> None:
    """Assert that a model module that fails to import is named with its line and error by
    the commands that read the models: db-check, db-new, and db-up when it must judge tables
    already in the database (on an empty one it needs no model, and migrates)."""
    broken = project.root / "mcpgateway" / "db" / "models" / "broken.py"
    broken.write_text("import sqlalchemy as sa\n\nVALUE = undefined_name\n")
    url = f"sqlite:///{project.root / 'broken.db'}"
    execute(url, "CREATE TABLE other_app (id INTEGER PRIMARY KEY)")
    for target in ("db-up", "db-check", "db-new"):
        assert_one_error(
            project.make(target, "MSG=x", DATABASE_URL=url),
            "model module mcpgateway.db.models.broken failed to import",
            "mcpgateway/db/models/broken.py:3",
            "NameError",
        )
    broken.write_text("def oops(:\n")
    assert_one_error(project.make("db-up", DATABASE_URL=url), "broken.py:1", "SyntaxError")
    fresh = project.make("db-up", DATABASE_URL=f"sqlite:///{project.root / 'fresh.db'}")
    assert fresh.returncode == 0, fresh.stderr


@pytest.mark.parametrize("backend", ["postgresql", "mysql"])
def test_refused_connection_shows_the_masked_url(project: Project, backend: str) -> None:
    """Assert that a refused connection names the masked URL, the reason and the hint."""
    url = server_url(backend).set(port=1, password="s3cret-pw", database="mcp")
    project.env["DATABASE_URL"] = url.render_as_string(hide_password=False)
    line = assert_one_error(
        project.make("db-up"), ":***@127.0.0.1:1/mcp", "Is the server running, and is DATABASE_URL"
    )
    assert "s3cret-pw" not in line


@pytest.mark.parametrize("backend", ["postgresql", "mysql"])
def test_silent_server_fails_within_the_connect_timeout(
    project: Project, backend: str, silent_port: int
) -> None:
    """Assert that a server that never answers fails after the timeout instead of hanging."""
    url = server_url(backend).set(host="127.0.0.1", port=silent_port, database="mcp")
    project.env["DATABASE_URL"] = url.render_as_string(hide_password=False)
    project.env["DATABASE_CONNECT_TIMEOUT"] = "2"
    started = time.monotonic()
    line = assert_one_error(project.make("db-up"), "cannot connect to", f":{silent_port}/mcp")
    assert "time" in line
    # A bound on behaviour, not a speed measurement: a hang would last until make's timeout.
    assert time.monotonic() - started < 30


def test_wrong_password_is_an_authentication_error(project: Project) -> None:
    """Assert that MariaDB rejecting a password is reported with the password masked."""
    url = server_url("mysql").set(password="not-the-password")
    project.env["DATABASE_URL"] = url.render_as_string(hide_password=False)
    line = assert_one_error(project.make("db-status"), "Access denied", ":***@")
    assert "not-the-password" not in line


@pytest.mark.parametrize("backend", ["postgresql", "mysql"])
def test_silent_server_is_waited_for_once(
    project: Project, backend: str, silent_port: int, tmp_path: Path
) -> None:
    """Assert that with the at-head cache in place, a server that never answers is waited for
    once (the at-head path reports it), not once there and again on the full path."""
    project.env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'cached.db'}"
    assert project.make("db-up").returncode == 0  # writes the cache (not keyed on the URL)
    url = server_url(backend).set(host="127.0.0.1", port=silent_port, database="mcp")
    project.env["DATABASE_URL"] = url.render_as_string(hide_password=False)
    project.env["DATABASE_CONNECT_TIMEOUT"] = "5"
    started = time.monotonic()
    assert_one_error(project.make("db-up"), "cannot connect to")
    # A bound on behaviour, not a speed measurement: twice would be 10 s and more.
    assert time.monotonic() - started < 8.5


def test_an_in_memory_database_is_refused_for_changes(project: Project) -> None:
    """Assert that db-up, db-down and db-stamp refuse sqlite:// (nothing would persist)."""
    project.env["DATABASE_URL"] = "sqlite://"
    for target, rev in (("db-up", ""), ("db-down", ""), ("db-stamp", "REV=heads")):
        assert_one_error(project.make(target, rev), "in-memory SQLite", "sqlite:///./mcp.db")


def test_broken_revision_and_env_files_are_named(project: Project) -> None:
    """Assert that a revision with a syntax error is named with its line by every command
    that reads the history, and a .env that is not UTF-8 is one line."""
    path = next((project.root / "alembic" / "versions").glob("*slug*.py"))
    lines = len(path.read_text().splitlines())
    path.write_text(path.read_text() + "def broken(:\n")
    for target in ("db-up", "db-status", "db-check", "db-history"):
        assert_one_error(project.make(target), f"{path.name}:{lines + 1} is not valid Python")
    path.write_text(path.read_text().replace("def broken(:\n", ""))
    (project.root / ".env").write_bytes(b"DATABASE_URL=sqlite:///./\xff.db\n")
    assert_one_error(project.make("db-status"), ".env is not UTF-8")


HOSTILE_ROW = "x\\'); DROP TABLE tools; --"  # a backslash, a quote, a statement after them


def test_saved_version_rows_put_back_exactly(project_on: Project) -> None:
    """Assert that the version rows db-stamp saves, run with the database's own client, put
    back exactly the value they held, whatever its quotes and backslashes, and nothing else."""
    url = project_on.env["DATABASE_URL"]
    assert project_on.make("db-up").returncode == 0
    record_revision(url, HOSTILE_ROW)
    stamped = project_on.make("db-stamp", f"REV={head_revision(project_on)}", "YES=1")
    assert stamped.returncode == 0, stamped.stderr
    (saved,) = (project_on.root / "backups").glob("*alembic_version*.sql")
    run_sql_file(url, saved)
    assert versions_of(url) == {HOSTILE_ROW}
    assert "tools" in tables(url)


USER_TYPE = """

class Vector(sa.types.UserDefinedType[str]):
    \"\"\"A column type no revision can import.\"\"\"

    cache_ok = True

    def get_col_spec(self, **_kw: object) -> str:
        return "TEXT"
"""


def test_db_new_keeps_no_revision_that_cannot_run(project: Project) -> None:
    """Assert that db-new refuses, keeping no file, a revision its own code would fail in
    (a custom type it cannot import), and names why."""
    catalog = project.root / "mcpgateway" / "db" / "models" / "catalog.py"
    anchor = "    reachable: Mapped[bool] = mapped_column(default=True)\n"
    source = catalog.read_text().replace(
        anchor, anchor + "    embedding: Mapped[str | None] = mapped_column(Vector())\n", 1
    )
    first_class = source.index("\n\nclass ")
    catalog.write_text(source[:first_class] + USER_TYPE + source[first_class:])
    assert project.make("db-up").returncode == 0
    before = project.versions()
    assert_one_error(
        project.make("db-new", "MSG=embedding"), "would fail when run", "NameError", "nothing"
    )
    assert project.versions() == before
