"""``db-up`` with nothing to do, answered without Alembic: the cached revision graph
(``revcache``) against one read of the version table and the ledger.

Anything unusual and it declines, and the full path runs and reports: no cache or a stale one,
a database not exactly at head, a revision left running, a checksum that does not match, batch
leftovers on SQLite, an unreachable server. It never writes to the database.
"""

from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import make_url

from mcpgateway.config import get_settings, mask_url
from mcpgateway.db.revcache import Graph, ini_path, load
from mcpgateway.db.session import create_db_engine

# As mcpgateway.db.ledger names them (that module imports Alembic; tests keep them equal).
LEDGER_TABLE = "mcpgateway_revisions"
APPLIED = "applied"


def _at_head(connection: sa.Connection, graph: Graph) -> tuple[str, ...] | None:
    """The recorded revisions when they are exactly the heads and all is in order, else None."""
    inspector = sa.inspect(connection)
    tables = set(inspector.get_table_names())
    if "alembic_version" not in tables or any(t.startswith("_alembic_tmp_") for t in tables):
        return None
    version = connection.exec_driver_sql("SELECT version_num FROM alembic_version")
    recorded = tuple(sorted(row[0] for row in version))
    if set(recorded) != set(graph.heads):
        return None
    if LEDGER_TABLE in tables:
        rows = connection.exec_driver_sql(f"SELECT revision, checksum, state FROM {LEDGER_TABLE}")
        for revision, checksum, state in rows:
            if state != APPLIED:
                return None  # left part-way: the full path refuses and explains
            known = graph.checksums.get(revision)
            if known is not None and checksum not in known:
                return None  # edited since it ran: the full path names it
    return recorded


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
    if url.get_backend_name() == "sqlite" and not Path(url.database or ":memory:").is_file():
        return False  # a new SQLite database: the full path creates it
    engine = create_db_engine(
        url=url, connect_timeout=settings.database_connect_timeout, pooled=False
    )
    try:
        with engine.connect() as connection:
            recorded = _at_head(connection, graph)
    except sa.exc.SQLAlchemyError:
        return False  # unreachable or odd: the full path says what is wrong
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
