"""The shape of the code: the data layer never reads the toolkit or Alembic, no module imports
itself back through another, and each stays about one screenful of concern."""

import ast
import subprocess
import sys
from pathlib import Path

from tests.conftest import PROJECT_ROOT

PACKAGE = PROJECT_ROOT / "mcpgateway"
MAX_LINES = 300


def module_name(path: Path) -> str:
    """``mcpgateway/migrate/run/lock.py`` -> ``mcpgateway.migrate.run.lock``."""
    parts = path.relative_to(PROJECT_ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(path: Path) -> set[str]:
    """Every module ``path`` imports, at any depth of its code."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found |= {f"{node.module}.{alias.name}" for alias in node.names}
    return found


def sources() -> dict[str, Path]:
    """Our modules by name, revision folders aside (Alembic loads those by path)."""
    return {
        module_name(path): path for path in PACKAGE.rglob("*.py") if "versions" not in path.parts
    }


def test_the_data_layer_never_imports_alembic_or_the_toolkit() -> None:
    """Assert that nothing under mcpgateway/db imports Alembic, the toolkit or its errors."""
    for name, path in sources().items():
        if name.startswith("mcpgateway.db"):
            bad = {
                imported
                for imported in imports(path)
                if imported.split(".")[0] == "alembic"
                or imported.startswith(("mcpgateway.migrate", "mcpgateway.errors"))
            }
            assert not bad, f"{name} imports {sorted(bad)}"


def test_no_import_cycles() -> None:
    """Assert that the import graph of our modules has no cycle."""
    modules = sources()
    graph = {
        name: {imported for imported in imports(path) if imported in modules and imported != name}
        for name, path in modules.items()
    }
    state: dict[str, str] = {}

    def visit(name: str, trail: list[str]) -> None:
        state[name] = "open"
        for target in sorted(graph[name]):
            if state.get(target) == "open":
                cycle = [*trail[trail.index(target) :], target] if target in trail else [target]
                raise AssertionError("import cycle: " + " -> ".join([*cycle, name]))
            if target not in state:
                visit(target, [*trail, target])
        state[name] = "done"

    for name in sorted(graph):
        if name not in state:
            visit(name, [name])


def test_modules_stay_small() -> None:
    """Assert that every module of ours is under about 300 lines."""
    long = {
        name: lines
        for name, path in sources().items()
        if (lines := len(path.read_text().splitlines())) > MAX_LINES
    }
    assert not long, long


def test_db_up_reaches_its_early_load_before_importing_alembic() -> None:
    """Assert that the CLI module and the early load (``run.early``) import neither Alembic nor
    anything of ours that does: a plain db-up sends an empty PostgreSQL database its schema file
    while the rest is imported."""
    loaded = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys, mcpgateway.migrate.cli, mcpgateway.migrate.run.early; "
            "print(sorted(m for m in sys.modules if m.split('.')[0] == 'alembic'))",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    assert loaded.stdout.strip() == "[]"
