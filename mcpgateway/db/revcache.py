"""The revision graph, cached beside alembic.ini, so that "is the database at head?" is answered
without importing Alembic or a single revision file.

The cache holds only while everything it was built from is unchanged: alembic.ini, the PLUGINS
setting, the plugins on this machine, and the name and content hash of every ``.py`` file in
every version folder. Any difference (a new, edited or deleted revision) and it is not used;
the full path runs and writes it again. Nothing here imports Alembic.
"""

import hashlib
import importlib.metadata
import importlib.util
import json
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

CACHE_DIR = ".mcpgateway_cache"
CACHE_FILE = "revisions.json"
FORMAT = 1
PLUGIN_PACKAGE = "mcpgateway.plugins"  # mcpgateway.db.plugins discovers them with these
PLUGIN_GROUP = "mcpgateway.plugins"


def ini_path() -> Path:
    """alembic.ini as the toolkit finds it: ``$ALEMBIC_CONFIG``, else ./alembic.ini."""
    return Path(os.environ.get("ALEMBIC_CONFIG") or "alembic.ini")


def version_folders(script: Any) -> list[str]:
    """A ScriptDirectory's version folders, resolved (plugins' included once added)."""
    return [str(Path(p).resolve()) for p in script.version_locations or [script.versions]]


def cache_file(ini: Path) -> Path:
    """Where the cache lives: a git-ignored folder beside alembic.ini."""
    return ini.resolve().parent / CACHE_DIR / CACHE_FILE


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def in_tree_folders() -> list[Path]:
    """The in-tree plugin folders, ``mcpgateway/plugins/<name>/`` with an ``__init__.py``."""
    spec = importlib.util.find_spec(PLUGIN_PACKAGE)
    locations = (spec.submodule_search_locations or []) if spec else []
    return [
        child
        for location in locations
        for child in sorted(Path(location).iterdir())
        if (child / "__init__.py").is_file()
    ]


def context_key(ini: Path, plugins: Sequence[str]) -> dict[str, Any]:
    """What the graph depends on besides the revision files themselves."""
    in_tree = sorted(folder.name for folder in in_tree_folders())
    installed = sorted(
        [entry.name, entry.value] for entry in importlib.metadata.entry_points(group=PLUGIN_GROUP)
    )
    return {
        "format": FORMAT,
        "ini": _digest(ini),
        "plugins": list(plugins),
        "in_tree": in_tree,
        "installed": installed,
    }


def fingerprint(locations: Sequence[str]) -> dict[str, str]:
    """Every ``.py`` file of the version folders, by path, with its content hash."""
    files = {}
    for folder in locations:
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.name.endswith(".py") and entry.is_file():
                    files[entry.path] = _digest(Path(entry.path))
    return files


def files_digest(files: Mapping[str, str]) -> str:
    """One hash for a fingerprint: what the snapshot proof (mcpgateway.db.snapshot) is keyed on."""
    return hashlib.sha256(json.dumps(sorted(files.items())).encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Graph:
    """What the fast path needs: heads, histories in report order, and each revision's
    history and checksums (as mcpgateway.db.ledger computes them)."""

    heads: tuple[str, ...]
    branches: tuple[str, ...]
    branch_of: Mapping[str, str]
    checksums: Mapping[str, tuple[str, ...]]  # the current one first, then the legacy one
    files: str = ""  # files_digest of the version folders it was built from


def load(ini: Path, plugins: Sequence[str]) -> Graph | None:
    """The cached graph if it still describes the files on disk, else None."""
    try:
        data = json.loads(cache_file(ini).read_text(encoding="utf-8"))
        if data.get("key") != context_key(ini, plugins):
            return None
        if data.get("files") != fingerprint(data["locations"]):
            return None
        revisions = data["revisions"]
        return Graph(
            heads=tuple(data["heads"]),
            branches=tuple(data["branches"]),
            branch_of={rev: info["branch"] for rev, info in revisions.items()},
            checksums={rev: tuple(info["checksums"]) for rev, info in revisions.items()},
            files=files_digest(data["files"]),
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None


def save(
    ini: Path,
    plugins: Sequence[str],
    *,
    locations: Sequence[str],
    heads: Sequence[str],
    branches: Sequence[str],
    revisions: Mapping[str, tuple[str, Sequence[str]]],
) -> None:
    """Write the cache (revision -> (history, checksums)); a read-only disk just means none."""
    data = {
        "key": context_key(ini, plugins),
        "locations": list(locations),
        "files": fingerprint(locations),
        "heads": list(heads),
        "branches": list(branches),
        "revisions": {
            rev: {"branch": branch, "checksums": list(sums)}
            for rev, (branch, sums) in revisions.items()
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
