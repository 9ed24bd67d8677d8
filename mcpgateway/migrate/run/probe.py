"""The configured database as ``db-up`` first sees it, importable before Alembic is (``run.early``
starts a load before Alembic's import): its engine, whether it is empty, and the migration
lock's name and PostgreSQL key (``run.lock``)."""

import hashlib
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from mcpgateway.config import get_settings
from mcpgateway.db.session import create_db_engine

LOCK_NAME = "mcpgateway_migrations"
# PostgreSQL's advisory lock key for LOCK_NAME. A session lock (``run.lock``) and a transaction
# lock (``run.early``) on one key exclude each other.
VERSIONS = "SELECT version_num FROM alembic_version"
# Everything a MariaDB database holds by name: tables of every kind (views and sequences are
# tables there too) and routines.
MARIADB_OBJECTS = (
    "SELECT table_name FROM information_schema.tables WHERE table_schema = DATABASE() "
    "UNION ALL SELECT routine_name FROM information_schema.routines "
    "WHERE routine_schema = DATABASE()"
)


def pg_lock_key(name: str) -> int:
    """PostgreSQL's advisory lock key for a lock named ``name`` (MariaDB's locks have names)."""
    return int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big", signed=True)


PG_LOCK_KEY = pg_lock_key(LOCK_NAME)


def mariadb_try_lock(name: str) -> sa.TextClause:
    """Take the MariaDB lock ``name`` on this session without waiting: 1 if taken, 0 if not."""
    return sa.text("SELECT GET_LOCK(:name, 0)").bindparams(name=name)


def mariadb_lock_name(database: str | None) -> str:
    """The migration lock's name on a MariaDB/MySQL server (``GET_LOCK``): one per database."""
    return f"{LOCK_NAME}.{database}"[:64]


def versions_of(cursor: Any) -> set[str]:
    """The version rows, read through a DBAPI cursor (the loads run on the driver's own)."""
    cursor.execute(VERSIONS)
    return {str(row[0]) for row in cursor.fetchall()}


def settings_engine(**options: Any) -> Engine:
    """A connection-per-use engine for the configured database (DATABASE_URL, its timeouts)."""
    settings = get_settings()
    return create_db_engine(
        url=settings.database_url,
        echo=settings.database_echo,
        connect_timeout=settings.database_connect_timeout,
        pooled=False,
        **options,
    )


def is_empty(conn: sa.Connection) -> bool:
    """No table, view or sequence in the connection's schema; on MariaDB, no routine either."""
    if conn.dialect.name in ("mysql", "mariadb"):
        return conn.exec_driver_sql(MARIADB_OBJECTS + " LIMIT 1").first() is None
    inspector = sa.inspect(conn)
    if inspector.get_table_names() or inspector.get_view_names():
        return False
    if conn.dialect.name == "postgresql":
        return not inspector.get_sequence_names()
    return True
