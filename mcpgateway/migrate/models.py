"""Loads the models the migrations are compared with: every core model module, then each
enabled plugin's, recording who owns each table. A module that fails to import is named (file,
line, cause) in one error instead of a traceback."""

import importlib
import importlib.util
import pkgutil
import re
import traceback

import sqlalchemy as sa

from mcpgateway.errors import ModelImportError, PluginError, ToolkitError
from mcpgateway.migrate.paths import shown_path
from mcpgateway.migrate.plugins import CORE, Plugin, enabled_plugins

MODELS_PACKAGE = "mcpgateway.db.models"
OWNER = "owner"  # the Table.info key: "core" or a plugin's name
_DUPLICATE_TABLE = re.compile(r"Table '([^']+)' is already defined")


def import_reporting(
    module_name: str, *, subject: str, error: type[ToolkitError] = ModelImportError
) -> None:
    """Import ``module_name``; any failure becomes ``error`` naming the file, line and cause."""
    try:
        importlib.import_module(module_name)
    except (Exception, SystemExit) as exc:  # a module that exits must not end the run as done
        raise error(
            f"{subject} failed to import at {_location(exc, module_name)}: "
            f"{type(exc).__name__}: {exc}"
        ) from exc


def _location(exc: BaseException, fallback: str) -> str:
    if isinstance(exc, SyntaxError) and exc.filename:
        return f"{shown_path(exc.filename)}:{exc.lineno}"
    frames = traceback.extract_tb(exc.__traceback__)
    # The innermost frame outside importlib and SQLAlchemy: the model line that raised.
    ours = [f for f in frames if "site-packages" not in f.filename and "<frozen" not in f.filename]
    where = ours[-1] if ours else None
    return f"{shown_path(where.filename)}:{where.lineno}" if where else fallback


def owner(table: sa.Table) -> str | None:
    """Who owns ``table``: "core", a plugin's name, or None for a table nobody declared."""
    found = table.info.get(OWNER)
    return str(found) if found is not None else None


def load_core_models() -> sa.MetaData:
    """Import every module under ``mcpgateway.db.models``; their tables belong to the core."""
    import_reporting(MODELS_PACKAGE, subject=f"model package {MODELS_PACKAGE}")
    package = importlib.import_module(MODELS_PACKAGE)
    for info in pkgutil.walk_packages(package.__path__, prefix=f"{MODELS_PACKAGE}."):
        import_reporting(info.name, subject=f"model module {info.name}")
    metadata: sa.MetaData = package.metadata
    for table in metadata.tables.values():
        table.info.setdefault(OWNER, CORE)
    return metadata


def load_plugin_models(plugin: Plugin, metadata: sa.MetaData) -> None:
    """Import the plugin's models; reject any table it does not own, before anything runs."""
    before = {name: _shape(table) for name, table in metadata.tables.items()}
    module = f"{plugin.package}.models"
    if importlib.util.find_spec(module) is None:
        raise PluginError(f"plugin {plugin.name} has no models.py ({plugin.path})")
    try:
        import_reporting(module, subject=f"plugin {plugin.name}", error=PluginError)
    except PluginError as exc:
        duplicate = _DUPLICATE_TABLE.search(str(exc.__cause__ or ""))
        if duplicate:
            raise _not_owned(plugin, duplicate.group(1), metadata) from None
        raise
    for name, table in metadata.tables.items():
        if name in before:
            if _shape(table) != before[name]:
                raise _not_owned(plugin, name, metadata)
        elif not name.startswith(plugin.table_prefix):
            raise PluginError(
                f"plugin {plugin.name} declares table {name!r}; its tables must be named "
                f"{plugin.table_prefix}*"
            )
        else:
            table.info[OWNER] = plugin.name


def _shape(table: sa.Table) -> tuple[object, ...]:
    """What a plugin must leave as it found it: each column object (``extend_existing`` replaces
    them), the constraints and the indexes."""
    columns = tuple((column.key, id(column)) for column in table.c)
    return columns, frozenset(map(id, table.constraints)), frozenset(map(id, table.indexes))


def _not_owned(plugin: Plugin, table: str, metadata: sa.MetaData) -> PluginError:
    holder = owner(metadata.tables[table]) if table in metadata.tables else None
    return PluginError(
        f"plugin {plugin.name} redefines table {table!r}, which belongs to {holder or 'core'}; "
        f"a plugin declares only its own {plugin.table_prefix}* tables (nothing was changed)"
    )


def load_models() -> sa.MetaData:
    """The core's tables and those of every enabled plugin, each tagged with its owner."""
    metadata = load_core_models()
    for plugin in enabled_plugins():
        load_plugin_models(plugin, metadata)
    return metadata


def owned_tables() -> dict[str, frozenset[str]]:
    """The names of the tables the models declare, by owner: the core, each enabled plugin."""
    by_owner: dict[str, set[str]] = {}
    for name, table in load_models().tables.items():
        by_owner.setdefault(owner(table) or CORE, set()).add(name)
    return {name: frozenset(tables) for name, tables in by_owner.items()}
