"""Schema files: the core's complete schema at head, as each backend's own tool dumps it.

``make db-schema`` replays every core revision on a scratch database of each backend
(PostgreSQL and MariaDB on the servers SCHEMA_POSTGRES_URL and SCHEMA_MARIADB_URL name, by
default the local ones; SQLite in a temporary file), settles the dump on what a load keeps,
and writes ``alembic/schema/<backend>.sql``:
``pg_dump --schema-only``, ``mariadb-dump --no-data --routines``, SQLite's ``sqlite_master``,
with the version rows, normalised by ``checks.dump`` so the same revisions give the same bytes.
The header names the core's heads and a digest of its revision files; a reviewer sees in one
diff what a revision does to the schema, and two branches that each add a revision conflict on
the heads line. A backend whose server cannot be reached is named, and its file left as it was.
"""

import difflib
import tempfile
from pathlib import Path

from alembic import command
from alembic.config import Config

from mcpgateway.db.session import create_db_engine
from mcpgateway.errors import DatabaseUnreachable
from mcpgateway.migrate.alembic_config import load_config
from mcpgateway.migrate.backup import run_script
from mcpgateway.migrate.checks.dump import loadable_dump
from mcpgateway.migrate.database import quiet_migration_log
from mcpgateway.migrate.history import digest
from mcpgateway.migrate.options import RunOptions
from mcpgateway.migrate.paths import write_atomically
from mcpgateway.migrate.plugins import CORE
from mcpgateway.migrate.scratch import scratch_database

BACKENDS = ("postgresql", "mariadb", "sqlite")
SERVER_VARIABLES = {"postgresql": "SCHEMA_POSTGRES_URL", "mariadb": "SCHEMA_MARIADB_URL"}


def replay(backend: str, folder: Path) -> str:
    """Every core revision on a fresh scratch database of ``backend``; its loadable dump. On a
    server the dump is loaded once more and dumped again: PostgreSQL writes a CHECK back in
    another form once it has parsed its own dump, and the file must be what a load keeps."""
    variable = SERVER_VARIABLES.get(backend, "")
    with scratch_database(backend, folder, variable=variable, prefix="schema") as url:
        engine = create_db_engine(
            url=url, sqlite_foreign_keys=False, sqlite_transactional_ddl=True, pooled=False
        )
        try:
            config = load_config(RunOptions(mutation="upgrade", connection=engine))
            with quiet_migration_log():
                command.upgrade(config, f"{CORE}@head")
        finally:
            engine.dispose()
        dump = loadable_dump(url, ledger=True)
    if backend == "sqlite":
        return dump
    with scratch_database(backend, folder, variable=variable, prefix="schema") as again:
        sql = folder / "schema.sql"
        sql.write_text(dump, encoding="utf-8")
        run_script(again, sql)
        return loadable_dump(again, ledger=True)


def expected(config: Config, backend: str) -> str:
    """What ``alembic/schema/<backend>.sql`` must hold now."""
    with tempfile.TemporaryDirectory() as folder:
        dump = replay(backend, Path(folder))
    return digest.header(config).render(backend) + dump.rstrip("\n") + "\n"


def write(config: Config, backends: tuple[str, ...] = BACKENDS) -> tuple[list[Path], list[str]]:
    """Write each backend's file (atomically); the files written and, for each backend that
    could not be reached, one line saying so (its file is left as it was)."""
    folder = digest.schema_dir(config)
    folder.mkdir(exist_ok=True)
    written, stale = [], []
    for backend in backends:
        target = folder / f"{backend}.sql"
        try:
            text = expected(config, backend)
        except DatabaseUnreachable as exc:
            stale.append(f"{backend}: {exc}; {target.name} left as it was, now stale")
            continue
        write_atomically(target, text)
        written.append(target)
    return written, stale


def compare(config: Config) -> tuple[list[str], list[str]]:
    """Each committed schema file against a fresh replay: a unified diff per file that differs,
    and a line per backend whose server could not be reached. A project without
    ``alembic/schema/`` has nothing to compare."""
    folder = digest.schema_dir(config)
    diffs, unreachable = [], []
    for backend in BACKENDS:
        committed = folder / f"{backend}.sql"
        if not committed.is_file():
            continue
        try:
            fresh = expected(config, backend)
        except DatabaseUnreachable as exc:
            unreachable.append(f"{backend}: {exc}; {committed.name} not compared")
            continue
        old = committed.read_text(encoding="utf-8")
        if old != fresh:
            lines = difflib.unified_diff(
                old.splitlines(keepends=True),
                fresh.splitlines(keepends=True),
                f"{committed.name} (committed)",
                f"{committed.name} (a fresh replay)",
            )
            diffs.append("".join(list(lines)[:DIFF_LINES]))
    return diffs, unreachable


DIFF_LINES = 60  # of each file's diff shown; make db-schema and git diff show the rest
