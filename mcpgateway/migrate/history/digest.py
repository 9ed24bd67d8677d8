"""What a schema file was made from: the core's heads and a digest of its revision files.

``make db-schema`` writes it as the file's header; ``make db-up`` loads the file into an empty
database only when the header equals what the revision files give now (``run.fresh``); two
branches that each add a revision conflict in git on the heads line.
"""

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from alembic.config import Config

from mcpgateway.migrate.history.graph import branch_of, script_directory
from mcpgateway.migrate.plugins import CORE

FILE_NAMES = {
    "postgresql": "postgresql",
    "mysql": "mariadb",
    "mariadb": "mariadb",
    "sqlite": "sqlite",
}
_HEADS = re.compile(r"^-- heads: (.*)$", re.M)
_DIGEST = re.compile(r"^-- digest: ([0-9a-f]{64})$", re.M)


@dataclass(frozen=True)
class Header:
    """What a schema file was made from."""

    heads: tuple[str, ...]
    digest: str

    def render(self, backend: str) -> str:
        """The file's first lines."""
        return (
            f"-- mcpgateway core schema at head on {backend}: made by make db-schema, do not edit\n"
            f"-- heads: {' '.join(self.heads)}\n"
            f"-- digest: {self.digest}\n"
        )


def core_folders(config: Config) -> list[Path]:
    """The core's version folders, as alembic.ini names them (no plugin's), read without
    loading a revision."""
    script = script_directory(Config(str(config.config_file_name)))
    return [Path(folder) for folder in script.version_locations or [script.versions]]


def files_digest(config: Config) -> str:
    """A SHA-256 over every ``.py`` file of the core's version folders (name and bytes, in name
    order): any revision added, removed or edited changes it. No revision is loaded."""
    digest = hashlib.sha256()
    for folder in core_folders(config):
        for path in sorted(folder.rglob("*.py")):
            if "__pycache__" not in path.parts:
                name = path.relative_to(folder).as_posix().encode()
                digest.update(name + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def header(config: Config) -> Header:
    """The core's heads (its revisions are loaded), and the digest of its revision files."""
    script = script_directory(config)
    heads = tuple(sorted(h for h in script.get_heads() if branch_of(script, h) == CORE))
    return Header(heads, files_digest(config))


def read_header(text: str) -> Header | None:
    """The header at the top of a schema file's ``text``; None if it has none."""
    top = text[:4096]
    heads, digest = _HEADS.search(top), _DIGEST.search(top)
    if heads is None or digest is None:
        return None
    return Header(tuple(heads.group(1).split()), digest.group(1))


def schema_dir(config: Config) -> Path:
    """``alembic/schema/``, beside the core's versions folder."""
    return Path(script_directory(config).dir) / "schema"
