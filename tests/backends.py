"""Provision a uniquely named, throwaway database on each backend the toolkit supports."""

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import URL, make_url

from mcpgateway.config import mask_url, normalize_database_url

ALL_BACKENDS = ("sqlite", "postgresql", "mysql")
ALIASES = {"mariadb": "mysql", "postgres": "postgresql"}


def selected_backends() -> tuple[str, ...]:
    """The backends to test: all, or those TEST_BACKENDS names (make db-test BACKEND=...)."""
    wanted = [
        w.strip().lower() for w in os.environ.get("TEST_BACKENDS", "").split(",") if w.strip()
    ]
    if not wanted:
        return ALL_BACKENDS
    chosen = tuple(dict.fromkeys(ALIASES.get(w, w) for w in wanted))
    unknown = [w for w in chosen if w not in ALL_BACKENDS]
    if unknown:
        raise ValueError(f"BACKEND={unknown[0]} is not one of sqlite, postgresql, mariadb")
    return chosen


try:
    BACKENDS = selected_backends()
except ValueError:
    BACKENDS = ALL_BACKENDS  # conftest's pytest_configure reports it as a usage error

SERVER_URLS = {
    "postgresql": ("TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test"),
    "mysql": ("TEST_MYSQL_URL", "mysql://root@127.0.0.1:3306/test"),
}


def server_url(backend: str) -> URL:
    """The admin URL of a server backend, overridable by its TEST_*_URL variable."""
    variable, default = SERVER_URLS[backend]
    return make_url(normalize_database_url(os.environ.get(variable) or default))


def unreachable(backend: str, reason: str) -> None:
    """Fail under CI=true, where every backend must be up; skip with the reason elsewhere."""
    message = f"{backend} server unreachable: {reason}"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


def _admin_engine(backend: str) -> sa.Engine:
    url = server_url(backend)
    engine = sa.create_engine(
        url,
        isolation_level="AUTOCOMMIT",
        poolclass=sa.pool.NullPool,
        connect_args={"connect_timeout": 5},
    )
    try:
        with engine.connect():
            pass
    except sa.exc.DBAPIError as exc:
        engine.dispose()
        unreachable(backend, f"{mask_url(url)}: {str(exc.orig).strip().splitlines()[0]}")
    return engine


@contextmanager
def provisioned(backend: str, tmp_path: Path) -> Iterator[str]:
    """Yield the URL of a new, empty database; drop it afterwards."""
    if backend == "sqlite":
        yield f"sqlite:///{tmp_path / 'test.db'}"
        return
    engine = _admin_engine(backend)
    name = f"mcpgw_test_{uuid.uuid4().hex[:12]}"
    quoted = engine.dialect.identifier_preparer.quote(name)
    drop = f"DROP DATABASE IF EXISTS {quoted}"
    if backend == "postgresql":
        drop += " WITH (FORCE)"
    try:
        with engine.connect() as conn:
            conn.exec_driver_sql(f"CREATE DATABASE {quoted}")
            if backend == "postgresql":
                # A throwaway database need not wait for each commit to reach the disk; this
                # database only, the server's own settings untouched.
                conn.exec_driver_sql(f"ALTER DATABASE {quoted} SET synchronous_commit = off")
        yield server_url(backend).set(database=name).render_as_string(hide_password=False)
    finally:
        with engine.connect() as conn:
            conn.exec_driver_sql(drop)
        engine.dispose()


@contextmanager
def login_with_password(database_url: str, password: str) -> Iterator[str]:
    """Yield a URL for the same database as a new login that has ``password``; drop it after."""
    url = make_url(database_url)
    backend = url.get_backend_name()
    user = f"mcpgw_user_{uuid.uuid4().hex[:8]}"
    admin = _admin_engine("postgresql" if backend == "postgresql" else "mysql")
    # exec_driver_sql hands the statement to a pyformat driver, so '%' must be doubled too.
    literal = password.replace("'", "''").replace("%", "%%")
    if backend == "postgresql":
        create = [
            f"CREATE ROLE {user} LOGIN PASSWORD '{literal}'",
            f'ALTER DATABASE "{url.database}" OWNER TO {user}',
        ]
        # The role owns the migrated tables, so its database goes first (the database
        # fixture's own drop is IF EXISTS).
        drop = [f'DROP DATABASE IF EXISTS "{url.database}" WITH (FORCE)', f"DROP ROLE {user}"]
    else:
        create = [
            f"CREATE USER '{user}'@'%%' IDENTIFIED BY '{literal}'",
            f"GRANT ALL ON `{url.database}`.* TO '{user}'@'%%'",
        ]
        drop = [f"DROP USER '{user}'@'%%'"]
    try:
        with admin.connect() as conn:
            for statement in create:
                conn.exec_driver_sql(statement)
        yield url.set(username=user, password=password).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            for statement in drop:
                conn.exec_driver_sql(statement)
        admin.dispose()


@contextmanager
def another_database(url: str) -> Iterator[str]:
    """A second new, empty database on the same backend as ``url``; dropped afterwards."""
    parsed = make_url(url)
    backend = {"mariadb": "mysql"}.get(parsed.get_backend_name(), parsed.get_backend_name())
    if backend == "sqlite":
        folder = Path(parsed.database or ".").parent / f"another-{uuid.uuid4().hex[:8]}"
        folder.mkdir()
        with provisioned(backend, folder) as other:
            yield other
        return
    with provisioned(backend, Path(".")) as other:
        yield other
