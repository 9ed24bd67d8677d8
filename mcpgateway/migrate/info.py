"""``db-info``: where each setting came from, what it points at, and where the scripts live."""

import os
from pathlib import Path

from alembic.config import Config
from alembic.script import ScriptDirectory
from dotenv import dotenv_values
from sqlalchemy.engine import make_url

from mcpgateway.config import Settings, get_settings, mask_url
from mcpgateway.errors import ToolkitError
from mcpgateway.migrate.database import current_heads
from mcpgateway.migrate.history.graph import is_known, script_directory
from mcpgateway.migrate.paths import shown_path
from mcpgateway.migrate.plugins import discover

SECRET_HINTS = ("password", "secret", "token", "key")


def _source(variable: str, dotenv: dict[str, str | None]) -> str:
    if variable in {name.upper() for name in os.environ}:
        return "env"
    if variable in {name.upper() for name in dotenv}:
        return ".env"
    return "default"


def _shown(name: str, value: object) -> str:
    if name == "database_url":
        return mask_url(str(value))
    if any(hint in name for hint in SECRET_HINTS):
        return "***"
    return str(value)


def _version_locations(script: ScriptDirectory) -> list[str]:
    return [str(v) for v in script.version_locations or [script.versions]]


def report(config: Config) -> list[str]:
    """The lines db-info prints; secrets are masked, an unreachable database is reported."""
    settings = get_settings()
    dotenv = dotenv_values(".env") if Path(".env").is_file() else {}
    lines = ["settings (source):"]
    for name in Settings.model_fields:
        variable = name.upper()
        value = _shown(name, getattr(settings, name))
        lines.append(f"  {variable:<26} {value}  ({_source(variable, dotenv)})")
    url = make_url(settings.database_url)
    script = script_directory(config)
    lines += [
        "database:",
        f"  url                        {mask_url(url)}",
        f"  dialect                    {url.get_backend_name()}",
        f"  driver                     {url.get_driver_name()}",
        "alembic:",
        f"  config                     {Path(str(config.config_file_name)).resolve()}",
        f"  script location            {script.dir}",
        f"  version locations          {', '.join(_version_locations(script))}",
        f"  heads                      {', '.join(script.get_heads()) or 'none'}",
    ]
    try:
        recorded = current_heads()
        current = ", ".join(
            rev if is_known(script, rev) else f"{rev} (no script has it!)" for rev in recorded
        )
        current = current or "base (no revision applied)"
    except ToolkitError as exc:
        current = f"unavailable: {exc}"
    lines.append(f"  current                    {current}")
    found = sorted(discover().items())
    lines.append("plugins:" if found else "plugins:                    none found")
    for name, plugin in found:
        state = "enabled" if name in settings.plugins else "disabled"
        lines.append(f"  {name:<26} {state}, {plugin.source}, {shown_path(str(plugin.path))}")
    return lines
