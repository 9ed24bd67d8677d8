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

import os
import shutil
import sqlite3
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy.engine import make_url

from mcpgateway.config import get_settings
from mcpgateway.db.session import create_db_engine
from mcpgateway.errors import DatabaseUnreachable, ToolkitError
from mcpgateway.migrate import replays
from mcpgateway.migrate.alembic_config import load_config
from mcpgateway.migrate.checks.dump import Part, loadable_dump
from mcpgateway.migrate.checks.exact import exact_dump
from mcpgateway.migrate.clients import run_script
from mcpgateway.migrate.database import quiet_migration_log
from mcpgateway.migrate.history import digest
from mcpgateway.migrate.history.digest import Owner
from mcpgateway.migrate.history.graph import branch_of, script_directory
from mcpgateway.migrate.history.header import LOADS, REPLAYS, loads, read_text
from mcpgateway.migrate.options import RunOptions
from mcpgateway.migrate.paths import shown_path, write_atomically
from mcpgateway.migrate.plugins import CORE
from mcpgateway.migrate.replays import Job
from mcpgateway.migrate.scratch import scratch_database

BACKENDS = ("postgresql", "mariadb", "sqlite")
SERVER_VARIABLES = {"postgresql": "SCHEMA_POSTGRES_URL", "mariadb": "SCHEMA_MARIADB_URL"}


def _part(config: Config, owner: Owner) -> Part | None:
    """A plugin's part of a replayed database; None for the core (a replay of the core alone)."""
    if owner.prefix is None:
        return None
    script = script_directory(config)
    mine = frozenset(
        r.revision for r in script.walk_revisions() if branch_of(script, r) == owner.name
    )
    return Part(owner.prefix, mine)


def replay(
    backend: str,
    folder: Path,
    owner: Owner,
    *,
    kept: Callable[[str], bool] = lambda _: False,
    keep: Path | None = None,
) -> str:
    """Every core revision (then a plugin's, for a plugin) on a fresh scratch database of
    ``backend``; the body of ``owner``'s file: ``LOADS`` or ``REPLAYS``, then the loadable dump
    of its part. Which one is proven as db-up would load it: the core's file (for a plugin,
    what the core's file holds, then the plugin's) into a second scratch database, which must
    then dump as the replay did, whole, by the database's own tool (``checks.exact``). Unless
    ``kept`` accepts a body as it is: a committed file equal to it was proven when written.
    ``keep``: where to copy the replayed SQLite database as soon as it is built, for db-check
    to compare the models with."""
    variable = SERVER_VARIABLES.get(backend, "")
    with scratch_database(backend, folder, variable=variable, prefix="schema") as url:
        engine = create_db_engine(
            url=url, sqlite_foreign_keys=False, sqlite_transactional_ddl=True, pooled=False
        )
        try:
            config = load_config(RunOptions(mutation="upgrade", connection=engine))
            with quiet_migration_log():
                command.upgrade(config, f"{CORE}@head")
                loaded = []  # for a plugin's file, what the core's holds: db-up loads it first
                if owner.name != CORE:
                    loaded.append(loadable_dump(url, ledger=True))
                    command.upgrade(config, f"{owner.name}@head")
        finally:
            engine.dispose()
        if keep is not None:
            _copy_aside(url, keep)
        part = _part(config, owner)
        dump = loadable_dump(url, ledger=True, part=part)
        if kept(f"{LOADS}\n{dump}"):
            return f"{LOADS}\n{dump}"
        # Only PostgreSQL's IN-lists are written as they came: elsewhere the dump is the same.
        plain = dump
        if backend == "postgresql":
            plain = loadable_dump(url, ledger=True, part=part, in_lists=False)
        if kept(f"{REPLAYS}\n{plain}"):
            return f"{REPLAYS}\n{plain}"
        replayed = exact_dump(url)
    with scratch_database(backend, folder, variable=variable, prefix="schema") as again:
        try:
            for index, text in enumerate([*loaded, dump]):
                sql = folder / f"schema-{index}.sql"
                sql.write_text(text, encoding="utf-8")
                _load(again, sql)
            same = exact_dump(again) == replayed
        except (ToolkitError, sqlite3.Error):
            same = False  # a dump its own server refuses
    return f"{LOADS}\n{dump}" if same else f"{REPLAYS}\n{plain}"


def _copy_aside(url: str, keep: Path) -> None:
    """The scratch SQLite database ``url`` (no connection open), copied whole to ``keep``: it
    appears there complete, or not at all."""
    sys.stdout.flush()  # what the revisions printed is written out before the database appears
    sys.stderr.flush()
    partial = keep.with_name(f"{keep.name}.partial")
    shutil.copyfile(str(make_url(url).database), partial)
    os.replace(partial, keep)


def _load(url: str, sql: Path) -> None:
    """``sql`` into the scratch database ``url``, by the server's own client (SQLite's module)."""
    if make_url(url).get_backend_name() != "sqlite":
        run_script(url, sql)
        return
    loaded = sqlite3.connect(str(make_url(url).database))
    try:
        loaded.executescript(sql.read_text(encoding="utf-8"))
    finally:
        loaded.close()


def expected(
    config: Config,
    backend: str,
    owner: Owner,
    *,
    committed: str | None = None,
    keep: Path | None = None,
) -> str:
    """What ``owner``'s file for ``backend`` must hold now: one replay, proven by a load only
    when it differs from the ``committed`` text (see ``replay``, and for ``keep``)."""
    header = digest.header(config, owner)

    def text(body: str) -> str:
        return header.render(backend, owner.name, body.rstrip("\n") + "\n")

    with tempfile.TemporaryDirectory() as folder:
        same = lambda body: text(body) == committed  # noqa: E731
        return text(replay(backend, Path(folder), owner, kept=same, keep=keep))


def write(
    config: Config, backends: tuple[str, ...] | None = None, *, only: str | None = None
) -> tuple[list[Path], list[str]]:
    """Write each backend's file (``MIGRATION_SCHEMA_BACKENDS`` unless ``backends``) of the core
    and each enabled plugin (``only``: that history's), atomically, replayed side by side; the
    files written and, for each backend that could not be reached, one line saying so (its
    file is left as it was)."""
    backends = backends or tuple(get_settings().migration_schema_backends)
    # A history without a revision yet has no schema: nothing to write for it.
    chosen = [
        o
        for o in digest.owners(config)
        if (only is None or o.name == only) and digest.heads(config, o)
    ]
    jobs = {Job(owner.name, backend): owner for owner in chosen for backend in backends}
    with replays.side_by_side(list(jobs), __name__) as running:
        found = running.results()
    written, stale = [], []
    for job, owner in jobs.items():
        target = owner.path(job.backend)
        text = found[job]
        if isinstance(text, DatabaseUnreachable):
            kept = f"{shown_path(target)} left as it was (stale if the revisions changed)"
            stale.append(f"{job.backend}: {text}; {kept}")
            continue
        owner.folder.mkdir(exist_ok=True)
        if target.is_dir():
            raise ToolkitError(
                f"{shown_path(target)} is a folder, not a file: remove it, then run make db-schema"
            )
        write_atomically(target, text)
        written.append(target)
    return written, stale


def wrote(path: Path) -> str:
    """The line saying ``path`` was written, and when db-up will not load it."""
    if loads(read_text(path)):
        return f"wrote {shown_path(path)}"
    return (
        f"wrote {shown_path(path)}: loaded, it would not build what the revisions build "
        "(the database's own dump of a load differs from a replay's), so db-up runs the "
        "revisions on an empty database"
    )


def replay_one(owner_name: str, backend: str, committed: Path | None, keep: Path | None) -> str:
    """One replay, in a process of its own (``replays.serve``): what ``owner_name``'s file for
    ``backend`` must hold, settled against ``committed``; the database copied to ``keep``."""
    config = load_config()
    owner = next(o for o in digest.owners(config) if o.name == owner_name)
    old = read_text(committed) if committed else None
    return expected(config, backend, owner, committed=old, keep=keep)


if __name__ == "__main__":
    sys.exit(replays.serve(sys.argv[1:], replay_one))
