"""Plugins: packages with their own tables and their own Alembic branch, found automatically.

A plugin is a package holding ``models.py`` (tables on the gateway's ``Base``, named
``<plugin>_*``) and ``versions/`` (its revisions, branch label = plugin name). In-tree plugins
live in ``mcpgateway/plugins/<name>/``; installed ones register an entry point in the
``mcpgateway.plugins`` group whose value is the package. ``PLUGINS`` enables them.
"""

import importlib.metadata
import importlib.util
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from mcpgateway.config import get_settings
from mcpgateway.errors import PluginError, UsageError

CORE = "core"  # the core's history (its branch label); every other history is a plugin's
ENTRY_POINT_GROUP = "mcpgateway.plugins"
IN_TREE_PACKAGE = "mcpgateway.plugins"
RESERVED_NAMES = frozenset({CORE, "base", "head", "heads", "current", "alembic"})
_REVISION_LINE = re.compile(r"^revision(?:\s*:[^=\n]+)?\s*=\s*['\"]([^'\"]+)['\"]", re.MULTILINE)


def declared_revisions(path: Path) -> list[str]:
    """The revision ids a revision file declares, read as text (nothing is imported)."""
    return _REVISION_LINE.findall(path.read_text(encoding="utf-8"))


@dataclass(frozen=True)
class Plugin:
    """One discovered plugin."""

    name: str
    package: str
    path: Path
    source: str

    @property
    def versions_dir(self) -> Path:
        """Where the plugin's revisions live."""
        return self.path / "versions"

    @property
    def table_prefix(self) -> str:
        """Every table the plugin declares starts with this."""
        return f"{self.name}_"

    def revision_ids(self) -> set[str]:
        """The revision ids in the plugin's folder, read as text (nothing is imported)."""
        if not self.versions_dir.is_dir():
            return set()
        return {rev for path in self.versions_dir.glob("*.py") for rev in declared_revisions(path)}


def in_tree_folders() -> list[Path]:
    """The in-tree plugin folders, ``mcpgateway/plugins/<name>/`` with an ``__init__.py``."""
    spec = importlib.util.find_spec(IN_TREE_PACKAGE)
    locations = (spec.submodule_search_locations or []) if spec else []
    return [
        child
        for location in locations
        for child in sorted(Path(location).iterdir())
        if (child / "__init__.py").is_file()
    ]


def _in_tree() -> list[Plugin]:
    return [
        Plugin(folder.name, f"{IN_TREE_PACKAGE}.{folder.name}", folder, "in-tree")
        for folder in in_tree_folders()
    ]


def _installed() -> list[Plugin]:
    found = []
    for entry in importlib.metadata.entry_points(group=ENTRY_POINT_GROUP):
        try:
            spec = importlib.util.find_spec(entry.value)
        except (ImportError, ValueError):
            spec = None
        if spec is None or not spec.submodule_search_locations:
            raise PluginError(
                f"plugin {entry.name}: its entry point names {entry.value!r}, which is not an "
                "importable package; reinstall the plugin or remove it"
            )
        source = f"entry point from {entry.dist.name if entry.dist else 'an installed package'}"
        found.append(
            Plugin(entry.name, entry.value, Path(spec.submodule_search_locations[0]), source)
        )
    return found


def discover() -> dict[str, Plugin]:
    """Every plugin on this machine, in-tree and installed, by name."""
    plugins: dict[str, Plugin] = {}
    for plugin in [*_in_tree(), *_installed()]:
        if plugin.name in plugins:
            raise PluginError(
                f"plugin {plugin.name} is provided twice ({plugins[plugin.name].source} and "
                f"{plugin.source}); remove one"
            )
        plugins[plugin.name] = plugin
    return plugins


def enabled_plugins(names: Sequence[str] | None = None) -> list[Plugin]:
    """The plugins ``PLUGINS`` enables, in its order; an unknown name is an error."""
    wanted = get_settings().plugins if names is None else names
    if not wanted:
        return []
    found = discover()
    for name in wanted:
        if name not in found:
            available = ", ".join(sorted(found)) or "none"
            raise PluginError(
                f"PLUGINS names {name!r}, but no plugin has that name (found: {available})"
            )
    return [found[name] for name in wanted]


def enabled_plugin(name: str) -> Plugin:
    """The enabled plugin ``name``, or an error saying how to enable it."""
    for plugin in enabled_plugins():
        if plugin.name == name:
            return plugin
    if name in discover():
        raise UsageError(f"plugin {name} is not enabled: add it to PLUGINS (environment or .env)")
    raise unknown_plugin(name)


def unknown_plugin(name: str) -> UsageError:
    """``PLUGIN=<name>`` naming no plugin: a usage error (exit 2) on every command."""
    return UsageError(f"PLUGIN={name}: no plugin has that name (make db-info lists them)")
