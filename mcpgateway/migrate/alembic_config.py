"""The Alembic ``Config`` the CLI hands to ``alembic.command``: alembic.ini, the enabled
plugins' version folders, and the run's options (``options.RunOptions``)."""

import sys
from pathlib import Path
from typing import TextIO

from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy.engine import make_url

from mcpgateway.config import get_settings
from mcpgateway.errors import UsageError
from mcpgateway.migrate.options import RunOptions, attach
from mcpgateway.migrate.paths import PATH_SEPARATORS, ini_path
from mcpgateway.migrate.plugins import enabled_plugins


def find_ini() -> Path:
    """``ini_path()``, or a usage error saying how to point at it."""
    path = ini_path()
    if not path.is_file():
        raise UsageError(
            f"{path} not found; run from the project root or set ALEMBIC_CONFIG to its path"
        )
    return path


def load_config(
    options: RunOptions | None = None, *, ini: Path | None = None, stdout: TextIO = sys.stdout
) -> Config:
    """The project's Alembic config with every enabled plugin's version folder added, carrying
    ``options`` for env.py. The URL is not in it: env.py reads the settings."""
    options = options or RunOptions()
    if options.mutation is not None and options.connection is None:
        require_persistent(get_settings().database_url)
    config = Config(str(ini or find_ini()), stdout=stdout)
    separator = _separator(config)
    folders = [str(plugin.versions_dir) for plugin in enabled_plugins()]
    if folders:
        # Without version_locations Alembic reads <script_location>/versions; with it, only
        # what it names, so the core's folder is named too.
        core = config.get_alembic_option("version_locations") or (
            ScriptDirectory.from_config(config).versions
        )
        joined = separator.join([core, *folders])
        # configparser interpolates '%': a folder name may hold one.
        config.set_main_option("version_locations", joined.replace("%", "%%"))
    return attach(config, options)


def _separator(config: Config) -> str:
    """What Alembic splits version_locations on: path_separator (or the older
    version_path_separator), else spaces and commas. A value Alembic refuses is refused here in
    one line, before Alembic meets it."""
    for name in ("path_separator", "version_path_separator"):
        value = config.get_main_option(name)
        if value is not None:
            if value not in PATH_SEPARATORS:
                raise UsageError(
                    f"{config.config_file_name}: {name} = {value!r} is not one of "
                    f"{', '.join(PATH_SEPARATORS)}; Alembic would refuse it too"
                )
            return PATH_SEPARATORS[value]
    return " "


def require_persistent(database_url: str) -> None:
    """Refuse an in-memory SQLite database for a command that changes it: nothing would
    outlive the command."""
    url = make_url(database_url)
    memory = url.database in (None, "", ":memory:") or "mode=memory" in str(url.query)
    if url.get_backend_name() == "sqlite" and memory:
        raise UsageError(
            "DATABASE_URL is an in-memory SQLite database: nothing a migration does would "
            "outlive the command; name a file, e.g. sqlite:///./mcp.db"
        )
