"""Backups are private, whole, or not there at all (issue 14, items 2-4)."""

import stat
import time
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import make_url

from tests.backends import provisioned, server_url
from tests.conftest import Project
from tests.helpers import assert_one_error, back_up_one_user, count, tables


def backups(project: Project) -> list[Path]:
    """Every file in the copy's backups/ folder, hidden ones too."""
    folder = project.root / "backups"
    return sorted(folder.iterdir()) if folder.is_dir() else []


def test_a_backup_is_private_and_verified(project_at_head: Project) -> None:
    """Assert that the folder is 0700, the file 0600, and nothing partial is left."""
    made = project_at_head.make("db-backup")
    assert made.returncode == 0, made.stderr
    found = backups(project_at_head)
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


def _bad_files(project: Project, good: Path) -> dict[str, Path]:
    """Files a user might hand db-restore by mistake, each named with the backend's suffix."""
    folder = project.root / "bad"
    folder.mkdir()
    empty = folder / f"empty{good.suffix}"
    empty.write_bytes(b"")
    truncated = folder / f"truncated{good.suffix}"
    truncated.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    other = folder / f"other{good.suffix}"
    other.write_text("CREATE TABLE nope (id INT);\n" if good.suffix != ".sql" else "SQLite junk")
    return {"empty": empty, "truncated": truncated, "another kind": other}


def test_a_bad_file_never_touches_the_database(project_at_head: Project) -> None:
    """Assert that an empty, truncated or foreign file is refused in one line before anything
    is dropped, saying nothing was changed, and every table and row is still there."""
    url = project_at_head.env["DATABASE_URL"]
    good = back_up_one_user(project_at_head)
    before = tables(url)
    for kind, bad in _bad_files(project_at_head, good).items():
        result = project_at_head.make(
            "db-restore", f"FILE={bad.relative_to(project_at_head.root)}", "YES=1"
        )
        line = assert_one_error(result, "cannot be restored", "nothing was changed")
        assert tables(url) == before, kind
        assert count(url, "email_users") == 1, (kind, line)
    restored = project_at_head.make("db-restore", f"FILE={good}", "YES=1")
    assert restored.returncode == 0, restored.stderr
    assert count(url, "email_users") == 1


def test_a_mariadb_dump_that_fails_part_way_changes_nothing(
    project: Project, tmp_path: Path
) -> None:
    """Assert that a whole-looking MariaDB dump that fails half-way through loading (it ends
    as mariadb-dump ends) fails in a scratch database: every table and row stays, the line says
    so and names the pre-restore backup, and no scratch database is left on the server."""
    with provisioned("mysql", tmp_path) as url:
        project.env["DATABASE_URL"] = url
        assert project.make("db-up").returncode == 0
        good = back_up_one_user(project)
        before = tables(url)
        text = good.read_text(encoding="utf-8")
        middle = text.index("CREATE TABLE", len(text) // 2)
        broken = project.root / "broken.sql"
        broken.write_text(text[:middle] + "INSERT INTO no_such_table VALUES (1);\n" + text[middle:])
        result = project.make("db-restore", f"FILE={broken.name}", "YES=1")
        line = assert_one_error(result, "scratch database", "nothing was changed", "backups/")
        assert "no_such_table" in line
        assert tables(url) == before
        assert count(url, "email_users") == 1
        assert not [name for name in server_databases() if "_restore_" in name]
        # Dumps that reach beyond the database they are loaded into: refused before asking,
        # before the pre-restore backup, before anything is touched.
        database = make_url(url).database
        saved = sorted((project.root / "backups").iterdir())
        for name, lead in (
            ("databases", "CREATE DATABASE `x`;\nUSE `x`;\n"),
            ("bare-use", "use other_db;\n"),
            ("qualified", f"DELETE FROM `{database}`.`email_users`;\n"),
            ("bare-qualified", f"DELETE FROM {database}.email_users;\n"),
        ):
            reaching = project.root / f"{name}.sql"
            reaching.write_text(lead + text)
            assert_one_error(
                project.make("db-restore", f"FILE={reaching.name}", "YES=1"),
                "cannot be restored here",
                "Nothing was changed",
            )
            assert count(url, "email_users") == 1, name
        assert sorted((project.root / "backups").iterdir()) == saved
        data = project.root / "data.sql"  # a value that merely mentions the name is data
        data.write_text(text.replace("kept@example.com", f"kept@{database}.example"))
        restored = project.make("db-restore", f"FILE={data.name}", "YES=1")
        assert restored.returncode == 0, restored.stderr


def server_databases() -> list[str]:
    """The databases on the MariaDB server."""
    engine = sa.create_engine(server_url("mysql"), poolclass=sa.pool.NullPool)
    with engine.connect() as conn:
        names = [str(row[0]) for row in conn.exec_driver_sql("SHOW DATABASES")]
    engine.dispose()
    return names
