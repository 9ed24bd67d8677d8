"""The revision graph (``history.graph.History``), cached beside alembic.ini, so that "is the
database at head?" is answered without loading a single revision file.

The cache holds only while every input it was built from is unchanged: alembic.ini and env.py,
the version folders (as alembic.ini and PLUGINS name them now, never as the cache says) and the
name and content of every ``.py`` file in them and below, the PLUGINS setting, the plugins this
machine provides, and the toolkit itself (its own files, Alembic's and SQLAlchemy's versions).
Any difference and it is not used; the full path runs and writes it again.
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
from alembic.config import Config

from mcpgateway.migrate.history.graph import History, Node, script_directory
from mcpgateway.migrate.plugins import ENTRY_POINT_GROUP, in_tree_folders
from mcpgateway.migrate.run import checksum

CACHE_DIR = ".mcpgateway_cache"
CACHE_FILE = "revisions.json"
TOOLKIT = Path(__file__).resolve().parent.parent


def cache_file(config: Config) -> Path:
    """Where the cache lives: a git-ignored folder beside alembic.ini."""
    return Path(str(config.config_file_name)).resolve().parent / CACHE_DIR / CACHE_FILE


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
    """Every ``.py`` file of the version folders and their subfolders (Alembic reads those with
    ``recursive_version_locations``), by path, with its content hash."""
    files = {}
    for folder in locations:
        if not Path(folder).is_dir():
            raise FileNotFoundError(folder)
        for path in sorted(Path(folder).rglob("*.py*")):
            # .pyc too (alembic.ini's sourceless); not Python's own __pycache__.
            if path.suffix in (".py", ".pyc") and "__pycache__" not in path.parts:
                files[str(path)] = _digest(path)
    return files


def key(config: Config, plugins: Sequence[str]) -> dict[str, Any]:
    """Every input the graph depends on, read afresh (nothing here comes from the cache)."""
    script = script_directory(config)  # reads alembic.ini only: no revision is loaded
    locations = [str(Path(p).resolve()) for p in script.version_locations or [script.versions]]
    installed = sorted(
        [entry.name, entry.value]
        for entry in importlib.metadata.entry_points(group=ENTRY_POINT_GROUP)
    )
    return {
        "ini": _digest(Path(str(config.config_file_name))),
        "env": _digest(Path(script.dir) / "env.py"),
        "plugins": list(plugins),
        "in_tree": [str(folder) for folder in in_tree_folders()],
        "installed": installed,
        "toolkit": toolkit_digest(),
        "locations": locations,
        "files": fingerprint(locations),
    }


def load(config: Config, plugins: Sequence[str]) -> History | None:
    """The cached history if every input is as it was, else None."""
    try:
        data = json.loads(cache_file(config).read_text(encoding="utf-8"))
        inputs = key(config, plugins)
        if data["key"] != inputs:
            return None
        graph = data["history"]
        for rev, (_history, _parents, path, _depends) in graph["nodes"].items():
            content = inputs["files"].get(str(Path(path).resolve()))
            if content is not None:  # a replay's ledger need not parse the file again
                checksum.known(content, graph["checksums"][rev][0])
        return History(
            nodes={
                rev: Node(rev, history, tuple(parents), path, tuple(depends))
                for rev, (history, parents, path, depends) in graph["nodes"].items()
            },
            heads=tuple(graph["heads"]),
            histories=tuple(graph["histories"]),
            aliases=dict(graph["aliases"]),
            checksums={rev: tuple(sums) for rev, sums in graph["checksums"].items()},
        )
    except (OSError, ValueError, LookupError, TypeError, AttributeError):
        return None  # unreadable, or not what save() writes: as if there were none


def save(config: Config, plugins: Sequence[str], history: History) -> None:
    """Write the cache; a read-only disk, or a version folder that is not there, means none."""
    try:
        inputs = key(config, plugins)
        full = history.with_checksums()
        # The revision files read again: one edited while the checksums were taken would pair
        # the bytes of one version with the checksum of another, so nothing is written.
        if fingerprint(inputs["locations"]) != inputs["files"]:
            return
    except OSError:
        return
    data = {
        "key": inputs,
        "history": {
            "nodes": {
                rev: [node.history, list(node.parents), node.path, list(node.depends)]
                for rev, node in full.nodes.items()
            },
            "heads": list(full.heads),
            "histories": list(full.histories),
            "aliases": dict(full.aliases),
            "checksums": {rev: list(sums) for rev, sums in full.checksums.items()},
        },
    }
    path = cache_file(config)
    try:
        path.parent.mkdir(exist_ok=True)
        partial = path.with_suffix(f".{os.getpid()}.tmp")
        partial.write_text(json.dumps(data), encoding="utf-8")
        os.replace(partial, path)
    except OSError:
        pass
