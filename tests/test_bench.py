"""make bench runs end to end on a tiny history and writes its JSON (no figure is checked:
speed is measured by make bench itself, never by a timed test)."""

import json

import pytest
from sqlalchemy.engine import make_url

from tests.backends import server_url
from tests.conftest import Project
from tests.helpers import assert_one_error

MEASURES = [
    "fresh to head",
    "at-head db-up",
    "db-new",
    "fresh from schema file",
    "db-check",
    "test fixture",
]


def test_make_bench_runs_and_writes_its_file(project: Project, database_url: str) -> None:
    """Assert that make bench on 2 revisions prints its table and writes every measure, with a
    sample per contender, for this backend."""
    backend = make_url(database_url).get_backend_name()
    name = {"mysql": "mariadb"}.get(backend, backend)
    if backend != "sqlite":  # the bench makes its own databases on the test's server
        variable = "BENCH_POSTGRES_URL" if backend == "postgresql" else "BENCH_MARIADB_URL"
        project.env[variable] = server_url(backend).render_as_string(hide_password=False)
    result = project.make("bench", "SIZES=2", f"BACKEND={name}", "REPEAT=1", "FILE=out/b.json")
    assert result.returncode == 0, result.stderr
    report = json.loads((project.root / "out" / "b.json").read_text())
    assert [row["measure"] for row in report["rows"]] == MEASURES
    assert {row["backend"] for row in report["rows"]} == {name}
    fresh = report["rows"][0]
    assert set(fresh["medians"]) == {"toolkit", "alembic", "floor"}
    assert all(len(samples) == 1 for samples in fresh["runs"].values())
    assert report["table"] in result.stdout
    assert not (project.root / "out" / "work").exists()  # the synthetic projects are removed


@pytest.mark.parametrize("bad", ["SIZES=0", "REPEAT=abc", "BACKEND=oracle"])
def test_make_bench_refuses_bad_input_in_one_line(project: Project, bad: str) -> None:
    """Assert that a bad SIZES, REPEAT or BACKEND gets one error line, before any work."""
    assert_one_error(project.make("bench", bad), bad.split("=")[0])
