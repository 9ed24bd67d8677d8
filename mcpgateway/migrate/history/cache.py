"""The revision graph (``history.graph.History``), cached beside alembic.ini, so that "is the
database at head?" is answered without loading a single revision file.

The cache holds only while every input it was built from is unchanged: alembic.ini, the
version folders and the name and content of every ``.py`` file in them, the PLUGINS setting,
the plugins this machine provides, and the toolkit itself (its own files, Alembic's and
SQLAlchemy's versions). Any difference and it is not used; the full path runs and writes it
again.
"""

import hashlib
import importlib.metadata
import json
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import alembic
import sqlalchemy as sa

from mcpgateway.migrate.history.graph import History, Node
from mcpgateway.migrate.plugins import ENTRY_POINT_GROUP, in_tree_folders

CACHE_DIR = ".mcpgateway_cache"
CACHE_FILE = "revisions.json"
TOOLKIT = Path(__file__).resolve().parent.parent


def cache_file(ini: Path) -> Path:
    """Where the cache lives: a git-ignored folder beside alembic.ini."""
    return ini.resolve().parent / CACHE_DIR / CACHE_FILE


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def toolkit_digest() -> str:
    """This toolkit's own code, and the Alembic and SQLAlchemy it runs with."""
    digest = hashlib.sha256(f"{alembic.__version__} {sa.__version__}".encode())
    for path in sorted(TOOLKIT.rglob("*.py")):
        digest.update(path.relative_to(TOOLKIT).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def fingerprint(locations: Sequence[str]) -> dict[str, str]:
    """Every ``.py`` file of the version folders, by path, with its content hash."""
    files = {}
    for folder in locations:
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.name.endswith(".py") and entry.is_file():
                    files[entry.path] = _digest(Path(entry.path))
    return files


def key(ini: Path, plugins: Sequence[str], locations: Sequence[str]) -> dict[str, Any]:
    """Every input the graph depends on."""
    installed = sorted(
        [entry.name, entry.value]
        for entry in importlib.metadata.entry_points(group=ENTRY_POINT_GROUP)
    )
    return {
        "ini": _digest(ini),
        "plugins": list(plugins),
        "in_tree": [str(folder) for folder in in_tree_folders()],
        "installed": installed,
        "toolkit": toolkit_digest(),
        "locations": list(locations),
        "files": fingerprint(locations),
    }


def load(ini: Path, plugins: Sequence[str]) -> History | None:
    """The cached history if every input is as it was, else None."""
    try:
        data = json.loads(cache_file(ini).read_text(encoding="utf-8"))
        if data["key"] != key(ini, plugins, data["key"]["locations"]):
            return None
        graph = data["history"]
        return History(
            nodes={rev: Node(rev, *fields) for rev, fields in graph["nodes"].items()},
            heads=tuple(graph["heads"]),
            histories=tuple(graph["histories"]),
            aliases=dict(graph["aliases"]),
            checksums={rev: tuple(sums) for rev, sums in graph["checksums"].items()},
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None


def save(ini: Path, plugins: Sequence[str], locations: Sequence[str], history: History) -> None:
    """Write the cache; a read-only disk just means there is none."""
    full = history.with_checksums()
    data = {
        "key": key(ini, plugins, [str(Path(p).resolve()) for p in locations]),
        "history": {
            "nodes": {
                rev: [node.history, list(node.parents), node.path]
                for rev, node in full.nodes.items()
            },
            "heads": list(full.heads),
            "histories": list(full.histories),
            "aliases": dict(full.aliases),
            "checksums": {rev: list(sums) for rev, sums in full.checksums.items()},
        },
    }
    path = cache_file(ini)
    try:
        path.parent.mkdir(exist_ok=True)
        partial = path.with_suffix(f".{os.getpid()}.tmp")
        partial.write_text(json.dumps(data), encoding="utf-8")
        os.replace(partial, path)
    except OSError:
        pass
