"""Fixtures: a fresh database per test on each backend (the toolkit's own pytest plugin,
``mcpgateway.migrate.testing``: ``database_url``, ``database_at_head``), and a throwaway copy
of the project."""

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import pytest
import sqlalchemy as sa

from mcpgateway.config import get_settings
from mcpgateway.db.session import create_db_engine
from tests.cli import inside, invoke, make_argv, recipes

pytest_plugins = ["mcpgateway.migrate.testing"]

PROJECT_ROOT = Path(__file__).resolve().parent.parent
# __pycache__ is copied on purpose: each copy would otherwise compile the package again
# (copytree keeps the files' times, so the bytecode stays valid until a test edits a file).
COPY_IGNORE = shutil.ignore_patterns(
    ".venv",
    ".git",
    "tests",
    "docs",
    "*.db",
    "*.db-*",
    ".pytest_cache",
    ".ruff_cache",
    ".mypy_cache",
    ".env",
    ".mcpgateway_cache",
    "backups",
)


def copy_ignore(folder: str, names: list[str]) -> set[str]:
    """COPY_IGNORE, and make bench's output folder at the top (not mcpgateway/migrate/bench)."""
    # make bench's output; and the schema files, which db-check compares only where they are
    # (tests/test_schema_files.py copies them in): the copies' revisions change test by test.
    top = {"bench"} if Path(folder) == PROJECT_ROOT else set()
    top |= {"schema"} if Path(folder) == PROJECT_ROOT / "alembic" else set()
    top |= {"schema"} if Path(folder).parent == PROJECT_ROOT / "mcpgateway" / "plugins" else set()
    return set(COPY_IGNORE(folder, names)) | (top & set(names))


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


@cache
def _recipes() -> dict[str, list[str]]:
    return recipes(PROJECT_ROOT / "Makefile")


@dataclass
class Project:
    """A copy of the project in a temp folder, driven as a user would: ``make`` runs the
    target's own recipe in-process (tests/cli.py); ``real_make`` runs make itself."""

    root: Path
    env: dict[str, str] = field(default_factory=dict)

    def make(
        self, target: str, *assignments: str, **extra_env: str
    ) -> subprocess.CompletedProcess[str]:
        """``make TARGET VAR=value ...``: the recipe's CLI call, in-process; never raises."""
        variables = {name: value for name, _, value in (a.partition("=") for a in assignments)}
        argv = make_argv(_recipes()[target], {**self.env, **extra_env, **variables})
        return invoke(argv, root=self.root, env={**self.env, **extra_env})

    def inside(self) -> contextlib.AbstractContextManager[tuple[object, object]]:
        """Run test code as the CLI would run here: the copy's modules, its environment."""
        return inside(self.root, self.env)

    def command(self, *args: str) -> list[str]:
        """``make ARGS`` with the shared virtualenv, for a subprocess."""
        return ["make", "--no-print-directory", f"VENV={Path(sys.prefix)}", *args]

    def real_make(self, *args: str, **extra_env: str) -> subprocess.CompletedProcess[str]:
        """Run the real ``make ARGS`` here in a subprocess; never raises on failure."""
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
def project(tmp_path: Path) -> Project:
    """A fresh copy of the project (mtimes kept, so the shared .venv counts as up to date)."""
    root = tmp_path / "project"
    shutil.copytree(PROJECT_ROOT, root, ignore=copy_ignore)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_", "MAKE"))}
    env.pop("MFLAGS", None)
    env.pop("PYTEST_XDIST_WORKER", None)
    return Project(root=root, env=env)


EXAMPLES = PROJECT_ROOT / "tests" / "examples"
REPLACEABLE = ("alembic/versions", "mcpgateway/db/models")


def lay_example(project: Project, name: str) -> Project:
    """Lay ``tests/examples/<name>/`` over the project copy: each of REPLACEABLE the example
    has replaces the copy's; any other file it has is added."""
    source = EXAMPLES / name
    for folder in REPLACEABLE:
        if (source / folder).is_dir():
            shutil.rmtree(project.root / folder)
    shutil.copytree(source, project.root, dirs_exist_ok=True, ignore=shutil.ignore_patterns("*.md"))
    return project


@pytest.fixture
def project_on(project: Project, database_url: str) -> Project:
    """The project copy pointed at the per-test database through DATABASE_URL."""
    project.env["DATABASE_URL"] = database_url
    return project


@pytest.fixture
def project_at_head(project: Project, database_at_head: str) -> Project:
    """The project copy pointed at a new database already at head (``database_at_head``: a
    PostgreSQL template copy, a SQLite file copy, MariaDB from the schema file)."""
    project.env["DATABASE_URL"] = database_at_head
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
