"""Imports every model module so that each table is on ``Base.metadata`` before it is used."""

import importlib
import pkgutil
import traceback
from pathlib import Path

import sqlalchemy as sa

from mcpgateway.db.base import Base
from mcpgateway.errors import ModelImportError

MODELS_PACKAGE = "mcpgateway.db.models"


def _import_reporting_file(module_name: str) -> None:
    try:
        importlib.import_module(module_name)
    except Exception as exc:
        raise ModelImportError(
            f"model module {module_name} failed to import at {_location(exc, module_name)}: "
            f"{type(exc).__name__}: {exc}"
        ) from exc


def _location(exc: Exception, fallback: str) -> str:
    if isinstance(exc, SyntaxError) and exc.filename:
        return f"{_shown_path(exc.filename)}:{exc.lineno}"
    frames = traceback.extract_tb(exc.__traceback__)
    # The innermost frame in our own code: the model line that raised, not importlib's.
    where = next((f for f in reversed(frames) if "mcpgateway" in f.filename), None)
    return f"{_shown_path(where.filename)}:{where.lineno}" if where else fallback


def _shown_path(filename: str) -> str:
    path = Path(filename).resolve()
    try:
        return path.relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def load_models() -> sa.MetaData:
    """Import every module under ``mcpgateway.db.models`` and return the shared metadata."""
    package = importlib.import_module(MODELS_PACKAGE)
    for info in pkgutil.walk_packages(package.__path__, prefix=f"{MODELS_PACKAGE}."):
        _import_reporting_file(info.name)
    return Base.metadata
