"""make bench's schema-file measures: a fresh database from the schema file (``make db-up`` on an
empty database) against the database's own client fed the same file, with the end states proven
equal; and the test fixture's database at head (``mcpgateway.migrate.testing``), timed from the
request to the URL in hand, against an empty ``CREATE DATABASE`` (SQLite: an empty file)."""

import os
import subprocess
from pathlib import Path

from mcpgateway.errors import ToolkitError
from mcpgateway.migrate.schema_files import SERVER_VARIABLES

# Run in the synthetic project: one worker's source built once, then each database timed.
FIXTURE_TIMING = """
import pathlib, sys, tempfile, time
from mcpgateway.migrate.testing import HeadDatabases, provisioned
backend, repeat = sys.argv[1], int(sys.argv[2])
head, empty = [], []
with tempfile.TemporaryDirectory() as folder:
    heads = HeadDatabases(pathlib.Path(folder))
    try:
        heads.source(backend)
        for attempt in range(repeat):
            for kind, times in (("head", head), ("empty", empty)):
                sub = pathlib.Path(folder) / f"{kind}{attempt}"
                sub.mkdir()
                started = time.perf_counter()
                made = heads.fresh(backend, sub) if kind == "head" else provisioned(backend, sub)
                url = made.__enter__()
                if backend == "sqlite" and kind == "empty":
                    pathlib.Path(url.removeprefix("sqlite:///")).touch()
                times.append(time.perf_counter() - started)
                made.__exit__(None, None, None)
    finally:
        heads.close()
print(" ".join(map(str, head)))
print(" ".join(map(str, empty)))
"""

TEST_SERVERS = {"postgresql": "TEST_POSTGRES_URL", "mariadb": "TEST_MYSQL_URL"}


def server_env(backend: str, server: str) -> dict[str, str]:
    """The variables pointing db-schema and the fixture at the bench's own server."""
    if backend == "sqlite" or not server:
        return {}
    return {SERVER_VARIABLES[backend]: server, TEST_SERVERS[backend]: server}


def write_schema_file(root: Path, python: str, backend: str, server: str) -> Path:
    """``make db-schema BACKEND=<backend>`` in the synthetic project; the file it wrote."""
    venv = str(Path(python).parent.parent)
    env = {**os.environ, "PLUGINS": "", "CI": "", **server_env(backend, server)}
    command = ["make", "--no-print-directory", f"VENV={venv}", "db-schema", f"BACKEND={backend}"]
    result = subprocess.run(command, cwd=root, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise ToolkitError(f"bench: make db-schema failed: {result.stderr.strip()[-200:]}")
    return root / "alembic" / "schema" / f"{backend}.sql"


def fixture_times(
    root: Path, python: str, backend: str, server: str, repeat: int
) -> tuple[list[float], list[float]]:
    """Seconds to a database at head from the fixture, and to an empty one, ``repeat`` each."""
    dialect = "mysql" if backend == "mariadb" else backend
    env = {**os.environ, "PLUGINS": "", "CI": "", **server_env(backend, server)}
    result = subprocess.run(
        [python, "-c", FIXTURE_TIMING, dialect, str(repeat)],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
    )
    lines = result.stdout.strip().splitlines()
    if result.returncode != 0 or len(lines) != 2:
        raise ToolkitError(f"bench: the fixture timing failed: {result.stderr.strip()[-200:]}")
    head, empty = ([float(v) for v in line.split()] for line in lines)
    return head, empty
