"""A fresh database built from the proven DDL ends exactly as the replay would, on every
backend; a history that writes rows, a changed model or an edited revision always replays."""

import subprocess
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import make_url

from mcpgateway.db import ledger
from mcpgateway.db.bench import NOTE_COLUMN
from mcpgateway.db.bench.synthetic import build
from tests.backends import provisioned
from tests.conftest import PROJECT_ROOT, Project
from tests.schema import snapshot

SNAPSHOT_LINE = "built from the models and stamped at head"
EARLIER = "by an earlier db-check, for these same revision files and models"


def synthetic(project: Project, database_url: str) -> Project:
    """A copy of the project whose history is 4 schema-only revisions over 8 tables."""
    root = build(project.root.parent / "synthetic", PROJECT_ROOT, revisions=4, tables=8)
    env = {**project.env, "DATABASE_URL": database_url, "PLUGINS": ""}
    return Project(root=root, env=env, db=project.db)


def state(url: str) -> tuple[object, ...]:
    """Schema, version rows and ledger rows (without their times)."""
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    try:
        with engine.connect() as conn:
            versions = sorted(conn.exec_driver_sql("SELECT version_num FROM alembic_version"))
            rows = conn.execute(
                sa.select(ledger.LEDGER.c.revision, ledger.LEDGER.c.checksum, ledger.LEDGER.c.state)
            )
            return snapshot(conn), versions, sorted(rows)
    finally:
        engine.dispose()


def test_snapshot_ends_exactly_as_the_replay(project: Project, database_url: str) -> None:
    """Assert that after db-check's proof, db-up builds a fresh database from the proven DDL,
    and that schema, version rows and checksums equal a replay's (MIGRATION_SNAPSHOT=false);
    then that the next fresh database, built by the fast path without Alembic, does too."""
    copy = synthetic(project, database_url)
    check = copy.make("db-check")
    assert check.returncode == 0, check.stderr
    built = copy.make("db-up")
    assert built.returncode == 0, built.stderr
    assert SNAPSHOT_LINE in built.stderr
    assert "Running upgrade" not in built.stderr
    backend = make_url(database_url).get_backend_name()
    (project.root.parent / "replay").mkdir()
    with provisioned(backend, project.root.parent / "replay") as replay_url:
        replayed = copy.make("db-up", DATABASE_URL=replay_url, MIGRATION_SNAPSHOT="false")
        assert replayed.returncode == 0, replayed.stderr
        assert replayed.stderr.count("Running upgrade") == 4
        assert state(database_url) == state(replay_url)
    (project.root.parent / "fast").mkdir()
    with provisioned(backend, project.root.parent / "fast") as fast_url:
        fast = copy.make("db-up", DATABASE_URL=fast_url)  # statements compiled, cache written
        assert fast.returncode == 0, fast.stderr
        assert SNAPSHOT_LINE in fast.stderr
        assert "[alembic." not in fast.stderr  # the fast path: no Alembic, no revision file
        assert state(fast_url) == state(database_url)
    again = copy.make("db-up")
    assert again.returncode == 0
    assert again.stdout == built.stdout
    down = copy.make("db-down")
    assert down.returncode == 0, down.stderr


def test_a_history_that_writes_rows_replays(project_on: Project) -> None:
    """Assert that the project's own history (its slug backfill writes rows) has no proof, so
    a fresh database replays it even right after db-check."""
    assert project_on.make("db-check").returncode == 0
    real = project_on.make("db-up")
    assert real.returncode == 0, real.stderr
    assert SNAPSHOT_LINE not in real.stderr
    assert "Running upgrade" in real.stderr


def test_a_revision_edited_after_the_proof_replays(project: Project, database_url: str) -> None:
    """Assert that the proof stands for the files it was made on and no others."""
    copy = synthetic(project, database_url)
    assert copy.make("db-check").returncode == 0
    revision = sorted((copy.root / "alembic" / "versions").glob("*.py"))[-1]
    text = revision.read_text()
    revision.write_text(text.replace("sa.String(length=255)", "sa.String(length=200)", 1))
    edited = copy.make("db-up")
    assert edited.returncode == 0, edited.stderr
    assert SNAPSHOT_LINE not in edited.stderr
    assert edited.stderr.count("Running upgrade") == 4


def test_db_check_answers_from_its_proof_until_a_model_changes(project: Project) -> None:
    """Assert that a second db-check over the same files and models takes the first one's
    word, and that a model changed since (a column on one table) is replayed and caught."""
    copy = synthetic(project, f"sqlite:///{project.root.parent / 'check.db'}")
    first = copy.make("db-check")
    assert first.returncode == 0, first.stderr
    assert EARLIER not in first.stdout
    again = copy.make("db-check")
    assert again.returncode == 0, again.stderr
    assert EARLIER in again.stdout
    models = copy.root / "mcpgateway" / "db" / "models" / "bench.py"
    source = models.read_text()
    assert "    value: Mapped[int | None]\n" in source
    models.write_text(source.replace("    value: Mapped[int | None]\n", NOTE_COLUMN, 1))
    changed = copy.make("db-check")
    assert changed.returncode != 0
    assert "note: column in models, not in migrations" in changed.stderr


def test_concurrent_fresh_builds_run_once(project: Project, database_url: str) -> None:
    """Assert that four db-up at once on an empty database, with the proof and the revision
    cache in place, all exit 0 and build it once: one snapshot line, one version row."""
    copy = synthetic(project, database_url)
    assert copy.make("db-check").returncode == 0
    (project.root.parent / "warm").mkdir()
    with provisioned(make_url(database_url).get_backend_name(), project.root.parent / "warm") as u:
        assert copy.make("db-up", DATABASE_URL=u).returncode == 0  # compiles, writes the cache
    runners = [
        subprocess.Popen(
            copy.command("db-up"),
            cwd=copy.root,
            env=copy.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(4)
    ]
    results = [(runner.wait(timeout=120), *runner.communicate()) for runner in runners]
    assert [code for code, _, _ in results] == [0] * 4, [err for _, _, err in results]
    assert sum(err.count(SNAPSHOT_LINE) for _, _, err in results) == 1
    assert sum("Running upgrade" in err for _, _, err in results) == 0
    assert len(state(database_url)[1]) == 1


def test_version_table_is_alembics(tmp_path: Path) -> None:
    """Assert that the fast path's alembic_version is the table Alembic itself creates."""
    from alembic.runtime.migration import MigrationContext

    from mcpgateway.db.snapshot import VERSION_TABLE

    for name in ("postgresql", "mysql", "sqlite"):
        dialect = sa.create_mock_engine(f"{name}://", executor=lambda *_: None).dialect
        alembic_table = MigrationContext(dialect, None, {})._version
        ours, theirs = (
            str(sa.schema.CreateTable(table).compile(dialect=dialect))
            for table in (VERSION_TABLE, alembic_table)
        )
        assert ours == theirs, name


def test_proof_is_keyed_on_the_revision_files(tmp_path: Path) -> None:
    """Assert that the proof's file digest changes with any revision file's content."""
    root = build(tmp_path / "p", PROJECT_ROOT, revisions=2, tables=2)
    from mcpgateway.db import revcache

    versions = str(root / "alembic" / "versions")
    before = revcache.fingerprint([versions])
    first = sorted(Path(versions).glob("*.py"))[0]
    first.write_text(first.read_text() + "\n")
    assert revcache.fingerprint([versions]) != before
