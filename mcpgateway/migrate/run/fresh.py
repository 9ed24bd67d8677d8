"""A fresh database from its schema files: ``make db-up`` on an empty database loads the core's
``alembic/schema/<backend>.sql`` and each enabled plugin's current file (``history.digest``)
instead of running every revision, when the file's digest equals the revision files'. A file is a
replay of those revisions dumped by the database's own tool (``make db-schema``), with the rows
they insert, the ledger's rows and the version rows last; so the database ends up as a replay
leaves it. How each backend loads and undoes: ``run.schema_load``.

It is a shortcut, never a change of outcome: anything unexpected (a database that is not empty,
a stale file, a load that fails) and the revisions run as they would without it; a plugin whose
file is missing or stale has its revisions run after the load. Plain ``alembic upgrade`` always
replays; so does ``MIGRATION_SCHEMA_FILES=false``.
"""

import contextlib
import logging
from dataclasses import dataclass
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy.engine import Engine

from mcpgateway.config import get_settings
from mcpgateway.db.session import create_db_engine
from mcpgateway.migrate.alembic_config import load_config
from mcpgateway.migrate.database import connect, migration_engine
from mcpgateway.migrate.history import digest
from mcpgateway.migrate.history.header import current
from mcpgateway.migrate.history.position import position_line
from mcpgateway.migrate.models import owned_tables
from mcpgateway.migrate.options import RunOptions
from mcpgateway.migrate.paths import ini_path, shown_path
from mcpgateway.migrate.plugins import CORE
from mcpgateway.migrate.run.early_mariadb import MariadbLoad
from mcpgateway.migrate.run.early_postgresql import PostgresqlLoad
from mcpgateway.migrate.run.early_thread import EarlyLoad
from mcpgateway.migrate.run.lock import migration_lock
from mcpgateway.migrate.run.mariadb_load import add_to_marker
from mcpgateway.migrate.run.probe import is_empty
from mcpgateway.migrate.run.schema_load import (
    DROPPED,
    LOADERS,
    ROLLED_BACK,
    LoadFailed,
    finish_mariadb,
    has_marker,
    recover,
    run_in_transaction,
)

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Bundle:
    """What one load puts in: the core's current file, then each enabled plugin's that is."""

    texts: tuple[str, ...]  # each file's, the core's first
    shown: str  # the files, for the log line
    heads: dict[str, tuple[str, ...]]  # where each loaded history ends up
    complete: bool  # every enabled plugin's file is in it

    @property
    def text(self) -> str:
        """The whole load."""
        return "\n".join(self.texts)

    @property
    def versions(self) -> tuple[str, ...]:
        """The version rows it ends with."""
        return tuple(rev for heads in self.heads.values() for rev in heads)


def bundle(config: Config, backend: str) -> Bundle | None:
    """The current files to load on ``backend``; None if the core's is missing or stale."""
    owners = digest.owners(config)
    now = digest.files_digests(config, owners)
    found = [(owner, current(owner.path(backend), now[owner.name])) for owner in owners]
    for owner, text in found:
        if text is None and owner.path(backend).is_file():
            why = digest.why_not_current(owner, backend, now[owner.name])
            whose = "the" if owner.name == CORE else f"{owner.name}'s"
            shown = shown_path(owner.path(backend))
            if why is None:
                log.info(
                    "%s: running %s revisions (make db-schema found that, loaded, it would not "
                    "build what they build)",
                    shown,
                    whose,
                )
                continue
            log.warning(
                "%s %s; running %s revisions instead (make db-schema writes it again)",
                shown,
                why,
                whose,
            )
    if found[0][1] is None:
        return None
    loaded = [(owner, text) for owner, text in found if text is not None]
    return Bundle(
        texts=tuple(text for _, (text, _header) in loaded),
        shown=", ".join(shown_path(owner.path(backend)) for owner, _ in loaded),
        heads={owner.name: header.heads for owner, (_text, header) in loaded},
        complete=len(loaded) == len(owners),
    )


def load_schema_files(early: EarlyLoad | None = None) -> Bundle | None:
    """Load the current schema files into the configured database if it is empty; what was
    loaded, or None to replay instead. ``early``: the core's file already sent (``run.early``),
    committed here once it proves current."""
    settings = get_settings()
    if not ini_path().is_file():
        return None
    config = load_config(RunOptions(mutation="upgrade"))
    engine = migration_engine()
    backend = engine.url.get_backend_name()
    try:
        if early is not None and early.outcome() in ("sent", "failed"):
            loading = _commit_early(config, backend, early)
        else:
            # Read first, without the lock: most runs find nothing to load and must not queue
            # on it twice. Under the lock each loader checks the database is still empty.
            if backend in ("mysql", "mariadb") and has_marker(engine):
                with migration_lock(engine, wait=settings.migration_lock_wait):
                    recover(engine)  # whatever MIGRATION_SCHEMA_FILES says now
                early = None  # it found the marker there: what it saw is no longer so
            if not settings.migration_schema_files or backend not in LOADERS:
                return None
            loading = _load(config, engine, early)
    except LoadFailed as failed:
        shown = shown_path(digest.core(config).path(backend))
        log.warning("loading %s failed (%s); running the revisions instead", shown, failed)
        return None
    finally:
        engine.dispose()
    if loading is not None:
        at = "; ".join(f"{name} {' '.join(heads)}" for name, heads in loading.heads.items())
        log.info("loaded %s: %s without running each revision", loading.shown, at)
    return loading


def _load(config: Config, engine: Engine, early: EarlyLoad | None) -> Bundle | None:
    backend = engine.url.get_backend_name()
    if (early is not None and early.state == "not empty") or not empty(engine):
        return None
    loading = bundle(config, backend)
    if loading is None:
        return None
    _refuse_reaching_plugins(config)
    with migration_lock(engine, wait=get_settings().migration_lock_wait):
        return loading if LOADERS[backend](engine, loading.text, loading.versions) else None


def _commit_early(config: Config, backend: str, early: EarlyLoad) -> Bundle | None:
    """The early load kept, the rest of the load (the plugins' files) run after it, once the
    file it sent proves current; None if it does not (it is undone on the way out)."""
    loading = bundle(config, backend)
    if loading is None or loading.texts[0] != early.text:
        return None
    _refuse_reaching_plugins(config)
    rest = "\n".join(loading.texts[1:])
    if isinstance(early, PostgresqlLoad):
        if early.error is not None:
            raise LoadFailed(early.error, ROLLED_BACK)
        run_in_transaction(early.cursor, rest, loading.versions)
    elif isinstance(early, MariadbLoad) and early.conn is not None:
        if early.error is not None:
            raise LoadFailed(early.error, DROPPED)
        add_to_marker(early.conn, rest, tuple(set(loading.versions) - set(early.versions)))
        finish_mariadb(early.conn, early.url, rest, loading.versions)
    else:
        return None
    early.commit()
    return loading


def _refuse_reaching_plugins(config: Config) -> None:
    """A plugin reaching into another's tables is refused before a load (``owned_tables``)."""
    if len(digest.owners(config)) > 1:
        owned_tables()


def empty(engine: Engine) -> bool:
    """The database holds nothing yet (SQLite: no file, or an empty one)."""
    if engine.url.get_backend_name() == "sqlite":
        path = Path(engine.url.database or "")
        if not path.is_file() or path.stat().st_size == 0:
            return True  # connecting would create it
    with connect(engine) as conn:
        return is_empty(conn)


def up_from_schema_files(early: EarlyLoad | None = None) -> bool:
    """db-up on an empty database: load the schema files (``early``: the core's already sent)
    and print where the database is; True when nothing is left to do (a plugin without a
    current file runs on the full path)."""
    loaded = load_schema_files(early)
    if loaded is None or not loaded.complete:
        return False
    print(position_line(get_settings().database_url, loaded.heads))
    return True


def bring_to_head(url: str) -> None:
    """Bring the empty database ``url`` to head as db-up does, without its lock (the database
    is the caller's own): the current schema files loaded, then any revision left run."""
    engine = create_db_engine(
        url=url, sqlite_foreign_keys=False, sqlite_transactional_ddl=True, pooled=False
    )
    try:
        config = load_config(RunOptions(mutation="upgrade", connection=engine))
        backend = engine.url.get_backend_name()
        wanted = get_settings().migration_schema_files and backend in LOADERS
        loading = bundle(config, backend) if wanted else None
        if loading is not None:
            with contextlib.suppress(LoadFailed):  # undone: the revisions run below
                LOADERS[backend](engine, loading.text, loading.versions)
        command.upgrade(config, "heads")
    finally:
        engine.dispose()
