"""``db-up`` answered without Alembic from the cached revision graph (``revcache``): a
database already at head (one read of the version table and the ledger), and an empty one that
a snapshot proof covers (``snapshot``: the proven statements, stamped, under the migration lock).

Anything unusual and it declines, and the full path runs and reports: no cache or a stale one,
a database neither empty nor exactly at head, a revision left running, a checksum that does not
match, batch leftovers on SQLite, no proof (or none compiled yet for this dialect), another
runner holding the lock, an unreachable server, a build that fails.
"""

import logging
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import make_url

from mcpgateway.config import Settings, get_settings, mask_url
from mcpgateway.db import ledger, logs, snapshot
from mcpgateway.db.lock import migration_lock
from mcpgateway.db.revcache import Graph, ini_path, load
from mcpgateway.db.session import create_db_engine

log = logging.getLogger("mcpgateway.db.fastpath")


def _at_head(connection: sa.Connection, graph: Graph, tables: set[str]) -> tuple[str, ...] | None:
    """The recorded revisions when they are exactly the heads and all is in order, else None."""
    if "alembic_version" not in tables or any(t.startswith("_alembic_tmp_") for t in tables):
        return None
    version = connection.exec_driver_sql("SELECT version_num FROM alembic_version")
    recorded = tuple(sorted(row[0] for row in version))
    if set(recorded) != set(graph.heads):
        return None
    if ledger.LEDGER.name in tables:
        query = sa.select(ledger.LEDGER.c.revision, ledger.LEDGER.c.checksum, ledger.LEDGER.c.state)
        for revision, checksum, state in connection.execute(query):
            if state != ledger.APPLIED:
                return None  # left part-way: the full path refuses and explains
            known = graph.checksums.get(revision)
            if known is not None and checksum not in known:
                return None  # edited since it ran: the full path names it
    return recorded


def _proven(settings: Settings, graph: Graph, dialect: str) -> list[str] | None:
    """The statements db-check's proof keeps for these files on ``dialect``, if allowed."""
    return snapshot.stored_ddl(graph.files, dialect) if settings.migration_snapshot else None


def _fresh(connection: sa.Connection, graph: Graph, statements: list[str], ini: Path) -> bool:
    """Build an empty database from the proven statements; False to let the full path do it."""
    connection.commit()  # the read that found it empty
    logs.configure(ini)
    # Not waiting: if another runner holds the lock, the full path waits for it and reports.
    with migration_lock(connection.engine, wait=0):
        if sa.inspect(connection).get_table_names():
            connection.commit()
            return False  # another runner got there first: the full path says so
        checksums = {revision: sums[0] for revision, sums in graph.checksums.items()}
        snapshot.build(connection, statements, heads=graph.heads, checksums=checksums)
    return True


def up_at_head() -> bool:
    """Print where the database is and return True when it is at head; False to go the full way."""
    try:
        settings = get_settings()
    except Exception:
        return False  # the full path reports the settings error
    ini = ini_path()
    if not settings.migration_fast_path or not ini.is_file():
        return False
    graph = load(ini, settings.plugins)
    if graph is None:
        return False
    url = make_url(settings.database_url)
    statements = None  # read only for an empty database: the at-head answer never needs it
    if url.get_backend_name() == "sqlite" and not Path(url.database or ":memory:").is_file():
        if not Path(url.database or ":memory:").parent.is_dir():
            return False  # the full path says what is wrong
        statements = _proven(settings, graph, "sqlite")
        if statements is None:
            return False  # only a build creates the file here; else the full path does
    engine = create_db_engine(  # as the migrations' engine: a SQLite build rolls back whole
        url=url,
        connect_timeout=settings.database_connect_timeout,
        sqlite_foreign_keys=False,
        sqlite_transactional_ddl=True,
        pooled=False,
    )
    try:
        with engine.connect() as connection:
            tables = set(sa.inspect(connection).get_table_names())
            if not tables:
                if statements is None:
                    statements = _proven(settings, graph, connection.dialect.name)
                if statements is None or not _fresh(connection, graph, statements, ini):
                    return False
                recorded = graph.heads
            else:
                recorded = _at_head(connection, graph, tables)
    except Exception as exc:
        log.debug("fast path declined: %s", exc)
        return False  # the full path runs and says what is wrong
    finally:
        engine.dispose()
    if recorded is None:
        return False
    parts = []
    for branch in graph.branches:
        current = [rev for rev in recorded if graph.branch_of.get(rev) == branch]
        parts.append(f"{branch} {', '.join(current) or 'base'}")
    print(f"{mask_url(settings.database_url)} is at " + "; ".join(parts))
    return True
