"""Backups are private, whole, or not there at all (issue 14, items 2-4)."""

import stat
import time
from pathlib import Path

from sqlalchemy.engine import make_url

from tests.conftest import Project
from tests.helpers import assert_one_error


def backups(project: Project) -> list[Path]:
    """Every file in the copy's backups/ folder, hidden ones too."""
    folder = project.root / "backups"
    return sorted(folder.iterdir()) if folder.is_dir() else []


def test_a_backup_is_private_and_verified(project_on: Project) -> None:
    """Assert that the folder is 0700, the file 0600, and nothing partial is left."""
    assert project_on.make("db-up").returncode == 0
    made = project_on.make("db-backup")
    assert made.returncode == 0, made.stderr
    found = backups(project_on)
    assert len(found) == 1, found
    path = found[0]
    assert not path.name.startswith(".")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700


def test_a_failed_backup_leaves_nothing(project_on: Project) -> None:
    """Assert that a backup of a database that is not there (a server's unknown database, a
    SQLite URL pointing at a text file) is one line and leaves no file behind."""
    url = make_url(project_on.env["DATABASE_URL"])
    if url.get_backend_name() == "sqlite":
        text = Path(str(url.database))
        text.write_text("not a database\n" * 100)
        expected = "is not a SQLite database"
    else:
        project_on.env["DATABASE_URL"] = url.set(database="mcpgw_nowhere").render_as_string(
            hide_password=False
        )
        expected = "mcpgw_nowhere"
    assert_one_error(project_on.make("db-backup"), expected)
    assert backups(project_on) == []


def test_a_server_that_never_answers_fails_in_time(project: Project, silent_port: int) -> None:
    """Assert that pg_dump and mariadb-dump give up after DATABASE_CONNECT_TIMEOUT against a
    server that accepts and never answers, leaving nothing behind."""
    for scheme in ("postgresql://postgres", "mysql://root"):
        project.env["DATABASE_URL"] = f"{scheme}@127.0.0.1:{silent_port}/x"
        started = time.monotonic()
        assert_one_error(project.make("db-backup", DATABASE_CONNECT_TIMEOUT="2"), "127.0.0.1")
        assert time.monotonic() - started < 30
        assert backups(project) == []
