"""Helpers the scenario tests share: edit the project copy, read the real schema, check errors."""

import sqlite3
import subprocess
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import make_url

from tests.conftest import Project


def add_preview_url_to_tools(project: Project) -> None:
    """Edit the copy's Tool model the way a developer would."""
    path = project.root / "mcpgateway" / "db" / "models" / "catalog.py"
    source = path.read_text()
    anchor = "    reachable: Mapped[bool] = mapped_column(default=True)\n"
    assert anchor in source
    new_column = "    preview_url: Mapped[str | None] = mapped_column(sa.String(767))\n"
    path.write_text(source.replace(anchor, anchor + new_column, 1))


def columns(url: str, table: str) -> set[str]:
    """The column names ``table`` has in the real database."""
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    try:
        with engine.connect() as conn:
            return {c["name"] for c in sa.inspect(conn).get_columns(table)}
    finally:
        engine.dispose()


def tables(url: str) -> set[str]:
    """The table names in the real database."""
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    try:
        with engine.connect() as conn:
            return set(sa.inspect(conn).get_table_names())
    finally:
        engine.dispose()


def assert_one_error(result: subprocess.CompletedProcess[str], *fragments: str) -> str:
    """Assert a non-zero exit with exactly one ``error:`` line, no traceback; return the line."""
    assert result.returncode != 0, result.stdout
    assert "Traceback" not in result.stderr + result.stdout
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1, result.stderr
    for fragment in fragments:
        assert fragment in errors[0], errors[0]
    return errors[0]


FORK_TEMPLATE = '''"""fork {rev}"""

revision = "{rev}"
down_revision = "{parent}"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Nothing: this revision only forks the history."""


def downgrade() -> None:
    """Nothing."""
'''


def head_revision(project: Project) -> str:
    """The single head revision id of the project copy's history."""
    result = project.run("alembic", "heads")
    assert result.returncode == 0, result.stderr
    return result.stdout.split()[0]


def revision_file(project: Project, revision: str) -> Path:
    """The file in the project copy's core history that defines ``revision``."""
    (path,) = (
        path
        for path in (project.root / "alembic" / "versions").glob("*.py")
        if f'revision: str = "{revision}"' in path.read_text()
    )
    return path


def fork_history(project: Project) -> tuple[str, str]:
    """Add two revisions on the same parent, as two merged branches would."""
    parent = head_revision(project)
    forks = ("aaaa00000001", "bbbb00000002")
    for rev in forks:
        path = project.root / "alembic" / "versions" / f"20990101_000000_fork_{rev}.py"
        path.write_text(FORK_TEMPLATE.format(rev=rev, parent=parent))
    return forks


def record_revision(url: str, rev: str) -> None:
    """Overwrite the revision the database records, as a deleted script would leave it."""
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    with engine.begin() as conn:
        conn.execute(sa.text("UPDATE alembic_version SET version_num = :rev"), {"rev": rev})
    engine.dispose()


def versions_of(url: str) -> set[str]:
    """The revisions the database's version table records."""
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    try:
        with engine.connect() as conn:
            return {
                str(r[0]) for r in conn.execute(sa.text("SELECT version_num FROM alembic_version"))
            }
    finally:
        engine.dispose()


def execute(url: str, *statements: str, **params: object) -> None:
    """Run statements against the real database in one transaction."""
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    with engine.begin() as conn:
        for statement in statements:
            conn.execute(sa.text(statement), params)
    engine.dispose()


def count(url: str, table: str) -> int:
    """How many rows ``table`` has."""
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    with engine.connect() as conn:
        value = conn.execute(sa.text(f"SELECT COUNT(*) FROM {table}")).scalar_one()
    engine.dispose()
    return int(value)


def back_up_one_user(project: Project) -> Path:
    """Add one email user to the project's database, back it up, and return the backup."""
    execute(
        project.env["DATABASE_URL"],
        "INSERT INTO email_users (email, is_admin, is_active, created_at, updated_at) "
        "VALUES ('kept@example.com', false, true, '2026-01-01', '2026-01-01')",
    )
    made = project.make("db-backup")
    assert made.returncode == 0, made.stderr
    return project.root / made.stdout.strip().rsplit(" to ", 1)[1]


def run_sql_file(url: str, path: Path) -> None:
    """Run an SQL file with the database's own client, as the saved file's header says."""
    parsed = make_url(url)
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        with sqlite3.connect(str(parsed.database)) as conn:
            conn.executescript(path.read_text())
        conn.close()
        return
    client = ["psql", "-q", "-h", "127.0.0.1", "-U", "postgres", "-v", "ON_ERROR_STOP=1"]
    if backend != "postgresql":
        client = ["mariadb", "-h", "127.0.0.1", "-u", "root"]
    with path.open("rb") as source:
        subprocess.run([*client, str(parsed.database)], stdin=source, check=True)
