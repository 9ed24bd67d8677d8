"""Logging for a command run: alembic.ini's [loggers] section, as plain Alembic applies it."""

import logging
from logging.config import fileConfig
from pathlib import Path


def configure(ini: str | Path) -> None:
    """Apply alembic.ini's logging, unless something configured logging already: an application
    that runs migrations in-process keeps its own handlers (fileConfig would replace them)."""
    if not logging.getLogger().handlers:
        fileConfig(ini, disable_existing_loggers=False)
