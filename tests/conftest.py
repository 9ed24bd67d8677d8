"""Fixtures: a fresh database per test on each backend, and a throwaway copy of the project."""

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import sqlalchemy as sa

from mcpgateway.config import get_settings
from mcpgateway.db.session import create_db_engine
from tests.backends import BACKENDS, provisioned, selected_backends

PROJECT_ROOT = Path(__file__).resolve().parent.parent
# __pycache__ is copied on purpose: each copy would otherwise compile the package again
# (copytree keeps the files' times, so the bytecode stays valid until a test edits a file).
COPY_IGNORE = shutil.ignore_patterns(
    ".venv",
    ".git",
    "*.db",
    "*.db-*",
    ".pytest_cache",
    ".ruff_cache",
    ".env",
    ".mcpgateway_cache",
)


def copy_ignore(folder: str, names: list[str]) -> set[str]:
    """COPY_IGNORE, and make bench's output folder at the top (not mcpgateway/db/bench)."""
    top = {"bench"} if Path(folder) == PROJECT_ROOT else set()
    return set(COPY_IGNORE(folder, names)) | (top & set(names))


def pytest_configure(config: pytest.Config) -> None:
    """Refuse an unknown TEST_BACKENDS (make db-test BACKEND=...) or TEST_SHARD in one line."""
    try:
        selected_backends()
        shard()
    except ValueError as exc:
        raise pytest.UsageError(str(exc)) from None


def shard() -> tuple[int, int] | None:
    """``TEST_SHARD=i/n`` (set by make test, which runs n at once): this run's part, if any."""
    value = os.environ.get("TEST_SHARD", "")
    if not value:
        return None
    index, _, total = value.partition("/")
    if not (index.isdigit() and total.isdigit() and 1 <= int(index) <= int(total)):
        raise ValueError(f"TEST_SHARD={value} must be i/n with 1 <= i <= n, e.g. 1/2")
    return int(index), int(total)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Keep every n-th test for shard i/n. Round robin over the collection order spreads each
    test's backend variants (and so the slow ones) across the shards."""
    part = shard()
    if part is None:
        return
    index, total = part
    kept = [item for position, item in enumerate(items) if position % total == index - 1]
    dropped = [item for position, item in enumerate(items) if position % total != index - 1]
    config.hook.pytest_deselected(items=dropped)
    items[:] = kept


def pytest_report_header(config: pytest.Config) -> str | None:
    """Say which shard this is, so interleaved output from make test stays readable."""
    part = shard()
    return None if part is None else f"shard {part[0]} of {part[1]} (TEST_SHARD)"


@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A new, empty database on each backend, dropped after the test."""
    with provisioned(request.param, tmp_path) as url:
        yield url


@pytest.fixture
def settings_env(database_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """Point the in-process settings at ``database_url``."""
    monkeypatch.setenv("DATABASE_URL", database_url)
    get_settings.cache_clear()
    yield database_url
    get_settings.cache_clear()


@pytest.fixture
def alembic_engine(database_url: str) -> Iterator[sa.Engine]:
    """pytest-alembic's engine: the per-test database, configured as env.py configures it."""
    engine = create_db_engine(
        url=database_url, sqlite_foreign_keys=False, sqlite_transactional_ddl=True, pooled=False
    )
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def warm_command(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str | None]:
    """``DB=`` for make: the fork server's client (tests/forkserver.py), or None with
    TEST_FORK=0, when make runs ``python -m mcpgateway.db`` itself."""
    if os.environ.get("TEST_FORK", "1") == "0":
        yield None
        return
    path = tmp_path_factory.mktemp("fork") / "socket"
    script = PROJECT_ROOT / "tests" / "forkserver.py"
    server = subprocess.Popen(
        [sys.executable, str(script), "serve", str(path)],
        cwd=PROJECT_ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert server.stdout is not None
    if server.stdout.readline().strip() != "ready":
        server.kill()
        pytest.fail("tests/forkserver.py did not start; TEST_FORK=0 runs without it")
    yield f"{sys.executable} -S -I {script} {path}"
    server.kill()
    server.wait()
    server.stdout.close()


@dataclass
class Project:
    """A copy of the project in a temp folder, driven through make as a user would."""

    root: Path
    env: dict[str, str] = field(default_factory=dict)
    db: str | None = None

    def command(self, *args: str) -> list[str]:
        """``make ARGS`` with the shared virtualenv (and the fork server, if it runs)."""
        warm = [f"DB={self.db}"] if self.db else []
        return ["make", "--no-print-directory", f"VENV={Path(sys.prefix)}", *warm, *args]

    def make(self, *args: str, **extra_env: str) -> subprocess.CompletedProcess[str]:
        """Run ``make ARGS`` here; never raises on failure."""
        return subprocess.run(
            self.command(*args),
            cwd=self.root,
            env={**self.env, **extra_env},
            capture_output=True,
            text=True,
            timeout=300,
        )

    def run(self, *args: str) -> subprocess.CompletedProcess[str]:
        """Run a command from the virtualenv's bin folder here."""
        return subprocess.run(
            [str(Path(sys.prefix) / "bin" / args[0]), *args[1:]],
            cwd=self.root,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=300,
        )

    def versions(self) -> set[str]:
        """The revision file names in alembic/versions."""
        return {p.name for p in (self.root / "alembic" / "versions").glob("*.py")}


@pytest.fixture
def project(tmp_path: Path, warm_command: str | None) -> Project:
    """A fresh copy of the project (mtimes kept, so the shared .venv counts as up to date)."""
    root = tmp_path / "project"
    shutil.copytree(PROJECT_ROOT, root, ignore=copy_ignore)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_", "MAKE"))}
    env.pop("MFLAGS", None)
    return Project(root=root, env=env, db=warm_command)


@pytest.fixture
def project_on(project: Project, database_url: str) -> Project:
    """The project copy pointed at the per-test database through DATABASE_URL."""
    project.env["DATABASE_URL"] = database_url
    return project


@pytest.fixture
def silent_port() -> Iterator[int]:
    """A local port that accepts connections and never says a word."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        server.settimeout(0.2)
        while not stop.is_set():
            with contextlib.suppress(OSError):
                held.append(server.accept()[0])

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield server.getsockname()[1]
    stop.set()
    thread.join()
    for conn in held:
        conn.close()
    server.close()
