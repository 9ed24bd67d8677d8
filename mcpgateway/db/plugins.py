"""Plugins: packages with their own tables and their own Alembic branch, found automatically.

A plugin is a package holding ``models.py`` (tables on the gateway's ``Base``, named
``<plugin>_*``) and ``versions/`` (its revisions, branch label = plugin name). In-tree plugins
live in ``mcpgateway/plugins/<name>/``; installed ones register an entry point in the
``mcpgateway.plugins`` group whose value is the package. ``PLUGINS`` enables them.
"""

import importlib.metadata
import importlib.util
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa
from alembic.script import ScriptDirectory
from alembic.script.revision import RevisionMap

from mcpgateway.config import get_settings
from mcpgateway.db.migrations import is_known
from mcpgateway.db.registry import CORE, OWNER, import_reporting, owner
from mcpgateway.db.revcache import PLUGIN_GROUP, PLUGIN_PACKAGE, in_tree_folders
from mcpgateway.errors import PluginError

ENTRY_POINT_GROUP = PLUGIN_GROUP
IN_TREE_PACKAGE = PLUGIN_PACKAGE
RESERVED_NAMES = frozenset({CORE, "base", "head", "heads", "current", "alembic"})
_REVISION_LINE = re.compile(r"^revision(?:\s*:\s*str)?\s*=\s*['\"]([^'\"]+)['\"]", re.MULTILINE)
_DUPLICATE_TABLE = re.compile(r"Table '([^']+)' is already defined")


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
        return {
            match.group(1)
            for path in self.versions_dir.glob("*.py")
            for match in _REVISION_LINE.finditer(path.read_text(encoding="utf-8"))
        }


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
        raise PluginError(f"plugin {name} is not enabled: add it to PLUGINS (environment or .env)")
    raise PluginError(f"PLUGIN={name}: no plugin has that name (make db-info lists them)")


def load_plugin_models(plugin: Plugin, metadata: sa.MetaData) -> None:
    """Import the plugin's models; reject any table it does not own, before anything runs."""
    before = {name: frozenset(table.c.keys()) for name, table in metadata.tables.items()}
    module = f"{plugin.package}.models"
    if importlib.util.find_spec(module) is None:
        raise PluginError(f"plugin {plugin.name} has no models.py ({plugin.path})")
    try:
        import_reporting(module, subject=f"plugin {plugin.name}", error=PluginError)
    except PluginError as exc:
        duplicate = _DUPLICATE_TABLE.search(str(exc))
        if duplicate:
            raise _not_owned(plugin, duplicate.group(1), metadata) from None
        raise
    for name, table in metadata.tables.items():
        if name in before:
            if frozenset(table.c.keys()) != before[name]:
                raise _not_owned(plugin, name, metadata)
        elif not name.startswith(plugin.table_prefix):
            raise PluginError(
                f"plugin {plugin.name} declares table {name!r}; its tables must be named "
                f"{plugin.table_prefix}*"
            )
        else:
            table.info[OWNER] = plugin.name


def _not_owned(plugin: Plugin, table: str, metadata: sa.MetaData) -> PluginError:
    holder = owner(metadata.tables[table]) if table in metadata.tables else None
    return PluginError(
        f"plugin {plugin.name} redefines table {table!r}, which belongs to {holder or 'core'}; "
        f"a plugin declares only its own {plugin.table_prefix}* tables (nothing was changed)"
    )


def add_version_locations(script: ScriptDirectory, folders: Iterable[Path]) -> None:
    """Put plugin version folders into ``script``, dropping its cached revision map if needed."""
    current = list(script.version_locations or [script.versions])
    known = {str(Path(location).resolve()) for location in current}
    extra = [str(folder) for folder in folders if str(folder.resolve()) not in known]
    if extra:
        script.version_locations = [*current, *extra]
        # The commands hold this very ScriptDirectory, so it is updated in place: Alembic
        # memoizes the resolved folders, and its revision map is rebuilt as __init__ builds it
        # (it loads lazily on next use).
        script.__dict__.pop("_version_locations", None)
        script.revision_map = RevisionMap(script._load_revisions)


def include_recorded(script: ScriptDirectory, recorded: Iterable[str]) -> list[Plugin]:
    """Add disabled plugins whose revisions the database records, so Alembic can resolve them.

    Disabling a plugin keeps its tables, data and version row; its history stays readable.
    """
    enabled = {plugin.name for plugin in enabled_plugins()}
    missing = {rev for rev in recorded if not is_known(script, rev)}
    if not missing:
        return []
    parked = [
        plugin
        for plugin in discover().values()
        if plugin.name not in enabled and plugin.revision_ids() & missing
    ]
    add_version_locations(script, (plugin.versions_dir for plugin in parked))
    return parked
