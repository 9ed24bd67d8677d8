"""Keyword-only engine and session factories; nothing here connects until asked to."""

from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.engine import URL, Connection, Engine, make_url
from sqlalchemy.pool import NullPool

if TYPE_CHECKING:  # the ORM is imported by the application, not by the migration CLI
    from sqlalchemy.orm import Session, sessionmaker

SQLITE_BUSY_TIMEOUT_MS = 5000


def _connect_args(url: URL, connect_timeout: int) -> dict[str, Any]:
    backend = url.get_backend_name()
    if backend == "sqlite":
        return {"timeout": connect_timeout}
    if backend in ("mysql", "mariadb"):
        # pymysql's connect_timeout covers the TCP connect only; a server that accepts but
        # never answers would hang the handshake. _handshake_only() lifts this afterwards.
        args: dict[str, Any] = {"connect_timeout": connect_timeout, "read_timeout": connect_timeout}
        if url.password is not None and not str(url.password).isascii():
            # PyMySQL encodes a str password as Latin-1 (it fails beyond it); the server and
            # its own clients (mariadb, mariadb-dump) take the password's UTF-8 bytes.
            args["password"] = str(url.password).encode("utf-8")
        return args
    return {"connect_timeout": connect_timeout}


def _handshake_only(engine: Engine) -> None:
    @sa.event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # No public setter exists; a migration's long ALTER must never hit a read timeout.
        dbapi_connection._read_timeout = None


def _sqlite_pragmas(engine: Engine, *, foreign_keys: bool, transactional_ddl: bool) -> None:
    @sa.event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        if transactional_ddl:
            # pysqlite only opens transactions before DML, so DDL would autocommit. SQLAlchemy's
            # documented recipe ("Serializable isolation / Savepoints / Transactional DDL"):
            # turn that off and emit BEGIN ourselves.
            dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA foreign_keys={'ON' if foreign_keys else 'OFF'}")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.close()

    if transactional_ddl:

        @sa.event.listens_for(engine, "begin")
        def _on_begin(connection: Connection) -> None:
            connection.exec_driver_sql("BEGIN")


def create_db_engine(
    *,
    url: str | URL,
    echo: bool = False,
    connect_timeout: int = 10,
    sqlite_foreign_keys: bool = True,
    sqlite_transactional_ddl: bool = False,
    pooled: bool = True,
) -> Engine:
    """Build an engine; SQLite gets WAL, a busy timeout and (unless disabled) foreign keys.

    Migrations pass ``sqlite_foreign_keys=False``: batch mode rebuilds a table by dropping it,
    and with foreign keys on, SQLite's implicit DELETE would cascade into child tables. They
    also pass ``sqlite_transactional_ddl=True``, so a revision killed part-way rolls back whole.
    """
    parsed = make_url(url)
    engine = sa.create_engine(
        parsed,
        echo=echo,
        connect_args=_connect_args(parsed, connect_timeout),
        poolclass=None if pooled else NullPool,
    )
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        _sqlite_pragmas(
            engine, foreign_keys=sqlite_foreign_keys, transactional_ddl=sqlite_transactional_ddl
        )
    elif backend in ("mysql", "mariadb") and parsed.get_driver_name() == "pymysql":
        _handshake_only(engine)
    return engine


def create_session_factory(*, engine: Engine) -> "sessionmaker[Session]":
    """Build the application's session factory for ``engine``."""
    from sqlalchemy.orm import sessionmaker

    return sessionmaker(bind=engine, expire_on_commit=False)
