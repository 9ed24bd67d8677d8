"""The Make targets as a user runs them, in a copy of the project: the front door (help, user
text through the shell, a first db-up) with the real make, the rest in-process."""

import importlib.util
import re
from pathlib import Path

from tests.conftest import Project
from tests.helpers import add_preview_url_to_tools, columns, tables

HOSTILE_MSG = 'fix user\'s "name" $(whoami) `id` ünïcode'
BREAKOUT_MSG = 'ends with quotes """ and a backslash \\'


def load_docstring(path: Path) -> str:
    """Import a revision file as Alembic would and return its docstring."""
    spec = importlib.util.spec_from_file_location("revision_under_test", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.__doc__ is not None
    return module.__doc__


def new_revision(project: Project, before: set[str]) -> Path:
    """The one revision file that appeared since ``before``."""
    added = project.versions() - before
    assert len(added) == 1, added
    return project.root / "alembic" / "versions" / added.pop()


def test_help_is_the_default_and_lists_every_target(project: Project) -> None:
    """Assert that bare `make` prints one help line per target, read from the Makefile."""
    result = project.real_make()
    assert result.returncode == 0, result.stderr
    listed = re.findall(r"^  make (\S+)", result.stdout, flags=re.M)
    declared = re.findall(r"^\.PHONY: (\S+)", (project.root / "Makefile").read_text(), re.M)
    assert listed == declared
    for target in ("db-new", "db-up", "db-down", "db-current", "db-history", "test", "lint"):
        assert target in listed


def test_missing_msg_is_one_line_and_exit_2(project: Project) -> None:
    """Assert that db-new without MSG says what to type and writes nothing."""
    before = project.versions()
    result = project.real_make("db-new")
    assert result.returncode == 2
    assert 'error: MSG is required, e.g. make db-new MSG="add tool tags"' in result.stderr
    assert "Traceback" not in result.stderr
    assert project.versions() == before


def test_db_up_on_a_fresh_copy_builds_the_schema(project_on: Project) -> None:
    """Assert that db-up creates every core table and reports the head it reached."""
    result = project_on.real_make("db-up")
    assert result.returncode == 0, result.stderr
    assert " is at " in result.stdout
    assert {"tools", "gateways", "servers", "email_teams", "alembic_version"} <= tables(
        project_on.env["DATABASE_URL"]
    )
    again = project_on.real_make("db-up")
    assert again.returncode == 0, again.stderr
    assert "Running upgrade" not in again.stderr


def test_plain_alembic_gives_the_same_result(project_on: Project) -> None:
    """Assert that `alembic upgrade head` reaches the same revision as `make db-up`."""
    plain = project_on.run("alembic", "-c", "alembic.ini", "upgrade", "head")
    assert plain.returncode == 0, plain.stderr
    current = project_on.make("db-current")
    assert "(head)" in current.stdout
    assert project_on.make("db-up").stderr.count("Running upgrade") == 0


def test_db_new_after_a_model_change_writes_a_revision_that_upgrades(
    project_on: Project,
) -> None:
    """Assert that db-new writes one dated revision for the change, and it applies and reverts."""
    url = project_on.env["DATABASE_URL"]
    assert project_on.make("db-up").returncode == 0
    add_preview_url_to_tools(project_on)
    before = project_on.versions()

    result = project_on.make("db-new", "MSG=add tool preview url")
    assert result.returncode == 0, result.stderr
    path = new_revision(project_on, before)
    assert re.fullmatch(r"\d{8}_\d{6}_add_tool_preview_url\.py", path.name)
    assert "preview_url" in path.read_text()
    assert 'downgrade_loses: tuple[str, ...] = ("tools.preview_url",)' in path.read_text()
    assert f"wrote alembic/versions/{path.name}" in result.stdout
    assert "db-lint: 1 revision: 0 errors, 0 warnings, 0 info, 0 allowed" in result.stdout
    assert "db-lint: 1 revision: 0 errors, 0 warnings, 0 info, 0 allowed" in result.stdout

    assert project_on.make("db-up").returncode == 0
    assert "preview_url" in columns(url, "tools")

    empty = project_on.make("db-new", "MSG=nothing changed")
    assert empty.returncode != 0
    assert "no changes detected" in empty.stderr
    assert project_on.versions() == before | {path.name}

    down = project_on.make("db-down")
    assert down.returncode == 0, down.stderr
    assert "discards tools.preview_url" in down.stderr
    assert "preview_url" not in columns(url, "tools")


def test_db_new_with_no_change_writes_nothing(project_on: Project) -> None:
    """Assert that an empty autogenerate exits non-zero with one line and no file."""
    assert project_on.make("db-up").returncode == 0
    before = project_on.versions()
    result = project_on.make("db-new", "MSG=no change")
    assert result.returncode != 0
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert errors == [
        "error: no changes detected between the models and the database; no revision written"
    ]
    assert "Traceback" not in result.stderr
    assert project_on.versions() == before


def test_db_down_current_and_history(project_on: Project) -> None:
    """Assert that down steps back one revision, REV=base empties, and history lists them."""
    url = project_on.env["DATABASE_URL"]
    assert project_on.make("db-up").returncode == 0
    current = project_on.make("db-current")
    assert current.returncode == 0
    assert "(head)" in current.stdout

    history = project_on.make("db-history")
    assert history.returncode == 0
    assert "initial core schema" in history.stdout
    assert "Rev: " in history.stdout

    down = project_on.make("db-down", "REV=-2")
    assert down.returncode == 0, down.stderr
    assert "downgrading" in down.stderr  # the slug revision declares what its downgrade discards
    assert "discards tools.slug" in down.stderr
    assert "slug" not in columns(url, "tools")
    assert "is at core base" not in down.stdout

    base = project_on.make("db-down", "REV=base")
    assert base.returncode == 0, base.stderr
    assert "is at core base" in base.stdout
    assert tables(url) <= {"alembic_version", "mcpgateway_revisions"}

    assert project_on.make("db-up").returncode == 0
    base = project_on.make("db-down", "REV=base")
    assert base.returncode == 0, base.stderr
    assert "tools" not in tables(url)


def test_hostile_msg_is_kept_exactly_with_an_ascii_slug(project_on: Project) -> None:
    """Assert that quotes, $(...), backticks and non-ASCII reach the docstring untouched."""
    assert project_on.make("db-up").returncode == 0
    add_preview_url_to_tools(project_on)
    for message, slug in (
        (HOSTILE_MSG, "fix_user_s_name_whoami_id_unicode"),
        (BREAKOUT_MSG, "ends_with_quotes_and_a_backslash"),
    ):
        before = project_on.versions()
        result = project_on.real_make("db-new", f"MSG={message}")
        assert result.returncode == 0, result.stderr
        path = new_revision(project_on, before)
        assert path.name.isascii()
        assert path.name.endswith(f"_{slug}.py")
        assert load_docstring(path).splitlines()[0] == message
        path.unlink()
