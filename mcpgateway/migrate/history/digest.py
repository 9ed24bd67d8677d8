"""What a schema file was made from: its history's heads and a digest of the revision files.

``make db-schema`` writes it as the file's header; ``make db-up`` loads a file into an empty
database only when its header's digest equals what the revision files give now (``run.fresh``);
two branches that each add a revision conflict in git on the heads line. The core's files are
``alembic/schema/<backend>.sql``; an enabled plugin's are ``<plugin>/schema/<backend>.sql``,
holding its own objects only, and their digest covers the core's revisions too (they were made
on top of the core at head).
"""

import hashlib
from dataclasses import dataclass
from pathlib import Path

from alembic.config import Config

from mcpgateway.migrate.history.graph import branch_of, script_directory
from mcpgateway.migrate.history.header import (
    FILE_NAMES,
    REPLAYS,
    Header,
    hash_folders,
    proof,
    read_header,
    read_text,
)
from mcpgateway.migrate.plugins import CORE, enabled_plugins


@dataclass(frozen=True)
class Owner:
    """A history whose schema files are kept: the core, or an enabled plugin."""

    name: str
    folder: Path  # where its schema files are
    versions: tuple[Path, ...]  # its revision folders
    prefix: str | None = None  # a plugin's table prefix: its files hold only those objects

    def path(self, backend: str) -> Path:
        """Its file for ``backend`` (a dialect or a backend name)."""
        return self.folder / f"{FILE_NAMES.get(backend, backend)}.sql"


def core(config: Config) -> Owner:
    """The core: ``alembic/schema/``, and its version folders as alembic.ini names them (no
    plugin's), read without loading a revision."""
    script = script_directory(Config(str(config.config_file_name)))
    folders = tuple(Path(f) for f in script.version_locations or [script.versions])
    return Owner(CORE, Path(script.dir) / "schema", folders)


def owners(config: Config) -> list[Owner]:
    """The core, then each enabled plugin."""
    plugins = [
        Owner(p.name, p.path / "schema", (p.versions_dir,), p.table_prefix)
        for p in enabled_plugins()
    ]
    return [core(config), *plugins]


def files_digest(config: Config, owner: Owner | None = None) -> str:
    """A SHA-256 over every ``.py`` file of the core's version folders (name and bytes, in name
    order), then the plugin's (``owner``): any revision added, removed or edited changes it. No
    revision is loaded."""
    return files_digests(config, [owner or core(config)])[owner.name if owner else CORE]


def files_digests(config: Config, owners: list[Owner]) -> dict[str, str]:
    """``files_digest`` of each of ``owners``, by name, reading the core's files once."""
    base = hashlib.sha256()
    hash_folders(base, core(config).versions)
    found = {}
    for owner in owners:
        digest = base.copy()
        if owner.name != CORE:
            hash_folders(digest, owner.versions)
        found[owner.name] = digest.hexdigest()
    return found


def heads(config: Config, owner: Owner | None = None) -> tuple[str, ...]:
    """The history's heads, sorted (its revisions are loaded); none before its first revision."""
    name = owner.name if owner is not None else CORE
    script = script_directory(config)
    return tuple(sorted(h for h in script.get_heads() if branch_of(script, h) == name))


def header(config: Config, owner: Owner | None = None) -> Header:
    """The history's heads, and the digest of its revision files."""
    return Header(heads(config, owner), files_digest(config, owner))


def why_not_current(owner: Owner, backend: str, digest: str) -> str | None:
    """Why ``owner``'s existing file for ``backend`` is not loaded, given the ``digest`` its
    revision files give today (``files_digests``), in a few words; None for a current file
    that db-schema found a load would not build as the revisions do."""
    text = read_text(owner.path(backend))
    found = read_header(text)
    if found is None:
        return "was edited after make db-schema wrote it (its content line does not match)"
    if found.digest != digest:
        return "was made from other revision files than these"
    if proof(text) != REPLAYS:
        return "does not say whether a load of it builds what the revisions build"
    return None


def schema_dir(config: Config) -> Path:
    """``alembic/schema/``, beside the core's versions folder."""
    return core(config).folder
