"""Imports every model module, core then enabled plugins, and records who owns each table."""

import importlib
import pkgutil
import traceback
from pathlib import Path

import sqlalchemy as sa

from mcpgateway.errors import ModelImportError, ToolkitError

MODELS_PACKAGE = "mcpgateway.db.models"
CORE = "core"
OWNER = "owner"  # the Table.info key: "core" or a plugin's name


def import_reporting(
    module_name: str, *, subject: str, error: type[ToolkitError] = ModelImportError
) -> None:
    """Import ``module_name``; any failure becomes ``error`` naming the file, line and cause."""
    try:
        importlib.import_module(module_name)
    except Exception as exc:
        raise error(
            f"{subject} failed to import at {_location(exc, module_name)}: "
            f"{type(exc).__name__}: {exc}"
        ) from exc


def _location(exc: Exception, fallback: str) -> str:
    if isinstance(exc, SyntaxError) and exc.filename:
        return f"{shown_path(exc.filename)}:{exc.lineno}"
    frames = traceback.extract_tb(exc.__traceback__)
    # The innermost frame outside importlib and SQLAlchemy: the model line that raised.
    ours = [f for f in frames if "site-packages" not in f.filename and "<frozen" not in f.filename]
    where = ours[-1] if ours else None
    return f"{shown_path(where.filename)}:{where.lineno}" if where else fallback


def shown_path(filename: str) -> str:
    """``filename`` relative to the working folder when it is inside it."""
    path = Path(filename).resolve()
    try:
        return path.relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def owner(table: sa.Table) -> str | None:
    """Who owns ``table``: "core", a plugin's name, or None for a table nobody declared."""
    return table.info.get(OWNER)


def load_core_models() -> sa.MetaData:
    """Import every module under ``mcpgateway.db.models``; their tables belong to the core."""
    from mcpgateway.db.base import Base  # the ORM: imported only when models are wanted

    package = importlib.import_module(MODELS_PACKAGE)
    for info in pkgutil.walk_packages(package.__path__, prefix=f"{MODELS_PACKAGE}."):
        import_reporting(info.name, subject=f"model module {info.name}")
    for table in Base.metadata.tables.values():
        table.info.setdefault(OWNER, CORE)
    return Base.metadata


def load_models() -> sa.MetaData:
    """The core's tables and those of every enabled plugin, each tagged with its owner."""
    from mcpgateway.db.plugins import enabled_plugins, load_plugin_models

    metadata = load_core_models()
    for plugin in enabled_plugins():
        load_plugin_models(plugin, metadata)
    return metadata
