"""pytest fixtures shipped with the toolkit: a throwaway database per test on each backend, and
one already at head, made in milliseconds where the backend allows.

Enable them with ``pytest_plugins = ["mcpgateway.migrate.testing"]`` in a conftest.py. Each
test using ``database_url`` or ``database_at_head`` runs once per backend: SQLite, PostgreSQL
and MariaDB, or those ``TEST_BACKENDS`` names. The servers are ``TEST_POSTGRES_URL`` and
``TEST_MYSQL_URL`` (by default the local ones); each test gets a uniquely named database there,
dropped afterwards. Under ``CI=true`` a server that cannot be reached fails the test; anywhere
else the test is skipped, saying why.

``database_at_head`` is a new database at head (the core and every enabled plugin), built as
``make db-up`` builds it (``run.fresh``: the current schema file, then what revisions remain):
- PostgreSQL: ``CREATE DATABASE ... TEMPLATE`` of a database brought to head once per worker;
- SQLite: a copy of a file brought to head once per worker;
- MariaDB: a new database, brought to head (from the schema file when it is current).
"""

import contextlib
import os
import shutil
import uuid
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import AbstractContextManager, ExitStack, contextmanager
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import URL, make_url

from mcpgateway.config import mask_url, normalize_database_url
from mcpgateway.migrate.run.fresh import bring_to_head
from mcpgateway.migrate.scratch import sqlite_url

ALL_BACKENDS = ("sqlite", "postgresql", "mysql")
ALIASES = {"mariadb": "mysql", "postgres": "postgresql"}
SERVER_URLS = {
    "postgresql": ("TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test"),
    "mysql": ("TEST_MYSQL_URL", "mysql://root@127.0.0.1:3306/test"),
}


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
    BACKENDS = ALL_BACKENDS  # pytest_configure reports it as a usage error


def server_url(backend: str) -> URL:
    """The admin URL of a server backend, overridable by its TEST_*_URL variable."""
    variable, default = SERVER_URLS[backend]
    return make_url(normalize_database_url(os.environ.get(variable) or default, variable))


def unreachable(backend: str, reason: str) -> None:
    """Fail under CI=true, where every backend must be up; skip with the reason elsewhere."""
    message = f"{backend} server unreachable: {reason}"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


def admin_engine(backend: str) -> sa.Engine:
    """An autocommit engine on the server of ``backend``, checked to answer."""
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
def provisioned(backend: str, tmp_path: Path, *, template: str | None = None) -> Iterator[str]:
    """Yield the URL of a new database (empty, or a copy of the PostgreSQL ``template``
    database); drop it afterwards."""
    if backend == "sqlite":
        yield sqlite_url(tmp_path / "test.db")
        return
    engine = admin_engine(backend)
    name = f"mcpgw_test_{uuid.uuid4().hex[:12]}"
    quoted = engine.dialect.identifier_preparer.quote(name)
    drop = f"DROP DATABASE IF EXISTS {quoted}"
    if backend == "postgresql":
        drop += " WITH (FORCE)"
    try:
        with engine.connect() as conn:
            create = f"CREATE DATABASE {quoted}"
            if template is not None:
                create += f" TEMPLATE {engine.dialect.identifier_preparer.quote(template)}"
            conn.exec_driver_sql(create)
            if backend == "postgresql":
                # A throwaway database need not wait for each commit to reach the disk; this
                # database only, the server's own settings untouched.
                conn.exec_driver_sql(f"ALTER DATABASE {quoted} SET synchronous_commit = off")
        yield server_url(backend).set(database=name).render_as_string(hide_password=False)
    finally:
        with engine.connect() as conn:
            conn.exec_driver_sql(drop)
        engine.dispose()


Copy = tuple[AbstractContextManager[str], str]  # a database being kept, and its URL


class HeadDatabases:
    """Databases at head for one pytest worker: each backend's source is built on first use
    and kept until the session ends. On PostgreSQL the next copy is made while the current
    test runs (a template copy of a large schema takes a while), so a test waits only for what
    is left of it."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._sources: dict[str, str] = {}
        self._failed: dict[str, Exception] = {}
        self._kept = ExitStack()
        self._ahead = ThreadPoolExecutor(max_workers=1)
        self._spare: Future[Copy] | None = None

    def source(self, backend: str) -> str:
        """The database at head that ``backend``'s copies are made from (built on first use;
        a build that failed fails each test that asks, with its own error)."""
        if backend in self._failed:
            raise self._failed[backend]
        if backend not in self._sources:
            folder = self.folder / f"head-{backend}"
            folder.mkdir(exist_ok=True)
            url = self._kept.enter_context(provisioned(backend, folder))
            try:
                bring_to_head(url)
            except Exception as exc:
                self._failed[backend] = exc
                raise
            self._sources[backend] = url
        return self._sources[backend]

    @contextmanager
    def fresh(self, backend: str, tmp_path: Path) -> Iterator[str]:
        """A new database at head, dropped afterwards."""
        if backend == "mysql":
            with provisioned(backend, tmp_path) as url:
                bring_to_head(url)
                yield url
            return
        source = self.source(backend)
        if backend == "sqlite":
            target = tmp_path / "test.db"
            shutil.copyfile(str(make_url(source).database), target)
            yield sqlite_url(target)
            return
        spare, self._spare = self._spare, None
        made, url = spare.result() if spare is not None else self._copy(source)
        self._spare = self._ahead.submit(self._copy, source)
        try:
            yield url
        finally:
            made.__exit__(None, None, None)

    def _copy(self, source: str) -> Copy:
        made = provisioned("postgresql", self.folder, template=str(make_url(source).database))
        return made, made.__enter__()

    def close(self) -> None:
        """Drop the copy made ahead, then the sources."""
        spare, self._spare = self._spare, None
        with contextlib.suppress(Exception, pytest.skip.Exception, pytest.fail.Exception):
            if spare is not None:
                spare.result()[0].__exit__(None, None, None)
        self._ahead.shutdown()
        self._kept.close()


def pytest_configure(config: pytest.Config) -> None:
    """Refuse an unknown TEST_BACKENDS (make db-test BACKEND=...) in one line."""
    try:
        selected_backends()
    except ValueError as exc:
        raise pytest.UsageError(str(exc)) from None


@pytest.fixture(params=BACKENDS)
def db_backend(request: pytest.FixtureRequest) -> str:
    """Each selected backend in turn: sqlite, postgresql, mysql (MariaDB)."""
    return str(request.param)


@pytest.fixture
def database_url(db_backend: str, tmp_path: Path) -> Iterator[str]:
    """A new, empty database on each backend, dropped after the test."""
    with provisioned(db_backend, tmp_path) as url:
        yield url


@pytest.fixture(scope="session")
def head_databases(tmp_path_factory: pytest.TempPathFactory) -> Iterator[HeadDatabases]:
    """This worker's sources of databases at head."""
    heads = HeadDatabases(tmp_path_factory.mktemp("heads"))
    yield heads
    heads.close()


@pytest.fixture
def database_at_head(
    db_backend: str, head_databases: HeadDatabases, tmp_path: Path
) -> Iterator[str]:
    """A new database at head on each backend, dropped after the test."""
    with head_databases.fresh(db_backend, tmp_path) as url:
        yield url
