"""``make bench``: the toolkit side by side with plain Alembic and the database's own floor.

For each backend and each synthetic history size it measures, alternating the contenders and
taking medians: a fresh database to head by running the revisions (toolkit, plain Alembic, and
the offline SQL fed to psql / mariadb / sqlite3), ``db-up`` with nothing pending against
``alembic upgrade heads``, ``db-new`` against ``alembic revision --autogenerate``; then, with the
backend's schema file written (``bench.schema_rows``), a fresh database from it against the
client fed the same file, ``db-check`` (its replay and dumps included) against ``alembic
check``, and the test fixture's database at head against an empty one. It prints a table of
medians and ratios and writes JSON.
"""

import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from dataclasses import asdict, dataclass
from pathlib import Path

from sqlalchemy.engine import make_url

from mcpgateway.config import BACKEND_NAMES, backend_names
from mcpgateway.errors import ToolkitError, UsageError
from mcpgateway.migrate.bench.proof import EndStates
from mcpgateway.migrate.bench.report import Row, machine, table
from mcpgateway.migrate.bench.schema_rows import fixture_times, server_env, write_schema_file
from mcpgateway.migrate.bench.synthetic import build
from mcpgateway.migrate.clients import client_options, client_tool
from mcpgateway.migrate.scratch import DEFAULT_SERVERS, scratch_database

BACKENDS = BACKEND_NAMES
SERVERS = {
    "postgresql": ("BENCH_POSTGRES_URL", DEFAULT_SERVERS["postgresql"]),
    "mariadb": ("BENCH_MARIADB_URL", DEFAULT_SERVERS["mariadb"]),
}


Run = Callable[[str], None]  # one contender, given the database URL
# The model change db-new autogenerates in the bench: one new column on the first table.
NOTE_COLUMN = (
    "    value: Mapped[int | None]\n    note: Mapped[str | None] = mapped_column(sa.String(40))\n"
)


@dataclass
class Project:
    """A synthetic project and how to run its commands against a database."""

    root: Path
    python: str

    def env(self, url: str) -> dict[str, str]:
        """The environment every command gets: the URL, no plugins, not CI."""
        return {**os.environ, "DATABASE_URL": url, "PLUGINS": "", "CI": ""}

    def make(self, *args: str, **settings: str) -> Run:
        """A make target of the toolkit, as a user types it (``settings`` exported first)."""
        venv = str(Path(self.python).parent.parent)
        command = ["make", "--no-print-directory", f"VENV={venv}", *args]
        return lambda url: _run(command, self.root, {**self.env(url), **settings})

    def alembic(self, *args: str) -> Run:
        """Plain Alembic (the generic env.py) on the same scripts."""
        command = [self.python, "-m", "alembic", "-c", "plain_alembic.ini", *args]
        return lambda url: _run(command, self.root, self.env(url))

    def floor(self, sql: Path) -> Run:
        """The database's own client reading the offline SQL."""

        def run(url: str) -> None:
            command, env = floor_command(url)
            _run(command, self.root, env, stdin=sql)

        return run


def _run(command: list[str], cwd: Path, env: dict[str, str], stdin: Path | None = None) -> None:
    with (stdin or Path(os.devnull)).open("rb") as feed:
        result = subprocess.run(command, cwd=cwd, env=env, stdin=feed, capture_output=True)
    if result.returncode != 0:
        detail = (result.stderr or result.stdout).decode(errors="replace").strip().splitlines()
        raise ToolkitError(
            f"bench: {' '.join(Path(c).name for c in command[:4])} failed in {cwd.name}: "
            f"{detail[-1] if detail else 'no output'}"
        )


def database(backend: str, folder: Path) -> AbstractContextManager[str]:
    """A fresh, empty database of ``backend``; dropped afterwards."""
    variable = SERVERS.get(backend, ("", ""))[0]
    return scratch_database(
        backend, folder, variable=variable, prefix="bench", hint=", or BACKEND=sqlite"
    )


def floor_command(url: str) -> tuple[list[str], dict[str, str]]:
    """The database's own client, reading SQL on its standard input: psql, mariadb or sqlite3."""
    parsed = make_url(url)
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        return [client_tool("sqlite3"), "-bail", str(parsed.database)], {**os.environ}
    args, env = client_options(parsed)
    if backend == "postgresql":
        client = [client_tool("psql"), "-q", "-X", "-v", "ON_ERROR_STOP=1"]
    else:
        client = [client_tool("mariadb")]
    return [*client, *args, str(parsed.database)], env


def rotate(names: list[str], attempt: int) -> list[str]:
    """The contenders in a different order each attempt, so none always goes first."""
    shift = attempt % len(names)
    return names[shift:] + names[:shift]


def measure(
    runs: dict[str, Run],
    *,
    repeat: int,
    fresh: Callable[[], AbstractContextManager[str]],
    after: Callable[[], None] = lambda: None,
    ends: EndStates | None = None,
) -> tuple[dict[str, float], dict[str, list[float]]]:
    """Each contender ``repeat`` times, alternating; ``fresh`` gives each run its database.
    With ``ends``, each run's database is dumped afterwards and must equal every other's."""
    samples: dict[str, list[float]] = {name: [] for name in runs}
    for attempt in range(repeat):
        for name in rotate(list(runs), attempt):
            with fresh() as url:
                started = time.perf_counter()
                runs[name](url)
                samples[name].append(time.perf_counter() - started)
                if ends is not None:
                    ends.add(name, url)
                after()
    return {name: statistics.median(values) for name, values in samples.items()}, samples


def bench_backend(
    project: Project, backend: str, *, revisions: int, tables: int, repeat: int
) -> list[Row]:
    """The four measures for one backend and one history size."""
    rows: list[Row] = []
    folder = project.root
    dialect = "mysql" if backend == "mariadb" else backend

    def row(name: str, result: tuple[dict[str, float], dict[str, list[float]]]) -> None:
        rows.append(Row(backend, revisions, tables, name, *result))

    sql = folder / f"upgrade-{backend}.sql"
    with database(backend, folder) as url:
        command = [project.python, "-m", "alembic", "-x", f"dialect={dialect}", "upgrade"]
        out = subprocess.run(
            [*command, "heads", "--sql"], cwd=folder, env=project.env(url), capture_output=True
        )
        if out.returncode != 0:
            raise ToolkitError(f"bench: offline SQL failed: {out.stderr.decode()[-200:]}")
        sql.write_bytes(out.stdout)
    contenders = {
        "toolkit": project.make("db-up", MIGRATION_SCHEMA_FILES="false"),
        "alembic": project.alembic("upgrade", "heads"),
        "floor": project.floor(sql),
    }
    ends = EndStates(f"{backend}, {revisions} revisions")
    fresh = lambda: database(backend, folder)  # noqa: E731
    row("fresh to head", measure(contenders, repeat=repeat, fresh=fresh, ends=ends))
    with database(backend, folder) as url:
        project.make("db-up")(url)
        shared = lambda: nullcontext(url)  # noqa: E731
        at_head = {"toolkit": project.make("db-up"), "alembic": project.alembic("upgrade", "heads")}
        row("at-head db-up", measure(at_head, repeat=repeat, fresh=shared))
        models = folder / "mcpgateway" / "db" / "models" / "bench.py"
        original = models.read_text()
        models.write_text(original.replace("    value: Mapped[int | None]\n", NOTE_COLUMN, 1))
        versions = folder / "alembic" / "versions"
        before = set(versions.iterdir())

        def forget_new() -> None:
            for written in set(versions.iterdir()) - before:
                written.unlink()

        try:
            new = {
                "toolkit": project.make("db-new", "MSG=bench note"),
                "alembic": project.alembic("revision", "--autogenerate", "-m", "bench note"),
            }
            row("db-new", measure(new, repeat=repeat, fresh=shared, after=forget_new))
        finally:
            models.write_text(original)
            forget_new()
    rows += bench_schema_file(project, backend, revisions=revisions, tables=tables, repeat=repeat)
    return rows


def bench_schema_file(
    project: Project, backend: str, *, revisions: int, tables: int, repeat: int
) -> list[Row]:
    """With ``backend``'s schema file written: a fresh database from it against the client fed
    the same file, db-check (which replays and dumps to compare it) against alembic check, and
    the test fixture's database at head against an empty database."""
    variable, default = SERVERS.get(backend, ("", ""))
    server = os.environ.get(variable) or default if variable else ""
    schema = write_schema_file(project.root, project.python, backend, server)
    fresh = lambda: database(backend, project.root)  # noqa: E731
    rows: list[Row] = []
    try:
        loads = {"toolkit": project.make("db-up"), "floor": project.floor(schema)}
        ends = EndStates(f"{backend}, {revisions} revisions, from the schema file")
        measured = measure(loads, repeat=repeat, fresh=fresh, ends=ends)
        rows.append(Row(backend, revisions, tables, "fresh from schema file", *measured))
        with database(backend, project.root) as url:
            project.make("db-up")(url)
            shared = lambda: nullcontext(url)  # noqa: E731
            check = {
                "toolkit": project.make(
                    "db-check", MIGRATION_SCHEMA_BACKENDS=backend, **server_env(backend, server)
                ),
                "alembic": project.alembic("check"),
            }
            measured = measure(check, repeat=repeat, fresh=shared)
            rows.append(Row(backend, revisions, tables, "db-check", *measured))
        head, empty = fixture_times(project.root, project.python, backend, server, repeat)
        medians = {"toolkit": statistics.median(head), "floor": statistics.median(empty)}
        runs = {"toolkit": head, "floor": empty}
        rows.append(Row(backend, revisions, tables, "test fixture", medians, runs))
    finally:
        shutil.rmtree(project.root / "alembic" / "schema", ignore_errors=True)
    return rows


def parse_sizes(text: str) -> list[tuple[int, int]]:
    """``100,500`` -> [(100, 200), (500, 1000)]: two tables per revision."""
    try:
        sizes = [int(part) for part in text.split(",") if part.strip()]
    except ValueError:
        sizes = []
    if not sizes or any(size < 1 for size in sizes):
        raise UsageError(f"SIZES={text} must be revision counts, e.g. SIZES=100,500")
    return [(size, size * 2) for size in sizes]


def parse_backends(text: str) -> list[str]:
    """All three, or those BACKEND names."""
    try:
        chosen = backend_names(text.split(","))
    except ValueError as unknown:
        raise UsageError(f"BACKEND={unknown}") from None
    return chosen or list(BACKENDS)


def parse_repeat(text: str) -> int:
    """How many runs per contender: a whole number, at least 1."""
    if not text.strip().isdigit() or int(text) < 1:
        raise UsageError(f"REPEAT={text} must be a whole number of runs, at least 1")
    return int(text)


def run_bench(*, sizes: str, backends: str, repeat: str, output: Path, source: Path) -> list[Row]:
    """Build each history, measure each backend, print the table, write the JSON."""
    runs = parse_repeat(repeat)
    chosen, histories = parse_backends(backends), parse_sizes(sizes)
    work = output.resolve().parent / "work"
    rows: list[Row] = []
    for revisions, tables in histories:
        root = build(work / f"r{revisions}", source, revisions=revisions, tables=tables)
        project = Project(root, sys.executable)
        for backend in chosen:
            print(f"bench: {backend}, {revisions} revisions, {tables} tables ...", flush=True)
            rows += bench_backend(project, backend, revisions=revisions, tables=tables, repeat=runs)
    report = table(rows)
    print(report)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(
        json.dumps(
            {
                "machine": machine(),
                "repeat": runs,
                "measured_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                "rows": [asdict(row) for row in rows],
                "table": report,
            },
            indent=2,
        )
        + "\n",
        encoding="utf-8",
    )
    print(f"wrote {output}")
    shutil.rmtree(work, ignore_errors=True)
    return rows
