"""A schema file's header, read and written without Alembic (``run.early`` reads one before
Alembic is imported): the heads, the digest of the revision files it was made from
(``hash_folders``), and the hash of its body, so a file edited by hand is never loaded."""

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

# The four header lines, each whole: SQL on any of them would run unhashed.
_TITLE = re.compile(r"-- mcpgateway \w+ schema at head on \w+: made by make db-schema, do not edit")
_HEADS = re.compile(r"-- heads: (.*)")
_DIGEST = re.compile(r"-- digest: ([0-9a-f]{64})")
_CONTENT = re.compile(r"-- content: ([0-9a-f]{64})")
HEADER_LINES = 4
# Each dialect's file, in alembic/schema/ and beside a plugin's revisions.
FILE_NAMES = {
    "postgresql": "postgresql",
    "mysql": "mariadb",
    "mariadb": "mariadb",
    "sqlite": "sqlite",
}


@dataclass(frozen=True)
class Header:
    """What a schema file was made from."""

    heads: tuple[str, ...]
    digest: str

    def render(self, backend: str, owner: str, body: str) -> str:
        """The whole file: its four header lines, then ``body`` (the last line says what the
        body hashes to, so a file edited by hand is never loaded)."""
        return (
            f"-- mcpgateway {owner} schema at head on {backend}: made by make db-schema, "
            "do not edit\n"
            f"-- heads: {' '.join(self.heads)}\n"
            f"-- digest: {self.digest}\n"
            f"-- content: {content_hash(body)}\n"
        ) + body


def hash_folders(digest: "hashlib._Hash", folders: tuple[Path, ...]) -> None:
    """Feed ``digest`` every ``.py`` file under ``folders``: its name, then its bytes, in name
    order (a revision added, removed or edited changes it)."""
    for folder in folders:
        for path in sorted(folder.rglob("*.py")):
            if "__pycache__" not in path.parts:
                name = path.relative_to(folder).as_posix().encode()
                digest.update(name + b"\0" + path.read_bytes() + b"\0")


def content_hash(body: str) -> str:
    """SHA-256 of a schema file's body (everything after its header)."""
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def read_header(text: str) -> Header | None:
    """The header at the top of a schema file's ``text``, if it has one, each line exactly as
    ``render`` writes it, and its body is what the header says (a file edited by hand has none,
    as far as loading goes)."""
    lines = text.split("\n", HEADER_LINES)
    if len(lines) <= HEADER_LINES or not _TITLE.fullmatch(lines[0]):
        return None
    heads, digest = _HEADS.fullmatch(lines[1]), _DIGEST.fullmatch(lines[2])
    content = _CONTENT.fullmatch(lines[3])
    if heads is None or digest is None or content is None:
        return None
    if content.group(1) != content_hash(lines[HEADER_LINES]):
        return None
    return Header(tuple(heads.group(1).split()), digest.group(1))


def read_text(path: Path) -> str:
    """A schema file's text; bytes that are not UTF-8 are replaced, so such a file reads as
    edited (its content line no longer matches), never as a traceback."""
    return path.read_bytes().decode("utf-8", errors="replace")


# The body's first line: whether db-up may load the file. ``make db-schema`` decides it by
# loading the file into a scratch database and dumping that with the database's own tool: only
# when the dump is the replay's, line for line, does a load build what the revisions build.
LOADS = "-- db-up loads this file into an empty database: it builds what the revisions build"
REPLAYS = "-- db-up runs the revisions instead: loaded, this file would not build what they build"


def proof(text: str) -> str:
    """The schema file ``text``'s proof line, the first of its body: ``LOADS``, ``REPLAYS``, or
    in a file written before db-schema proved them, whatever came first."""
    lines = text.split("\n", HEADER_LINES + 1)
    return lines[HEADER_LINES] if len(lines) > HEADER_LINES else ""


def loads(text: str) -> bool:
    """Whether db-up may load the schema file ``text`` (its body opens with ``LOADS``)."""
    return proof(text) == LOADS


def folders_digest(folders: tuple[Path, ...]) -> str:
    """``hash_folders`` of ``folders`` alone, as a header's digest line holds it."""
    digest = hashlib.sha256()
    hash_folders(digest, folders)
    return digest.hexdigest()


def current(path: Path, digest: str) -> tuple[str, Header] | None:
    """The schema file at ``path`` and its header, if it is there, unedited, proven loadable,
    and made from the revision files that give ``digest`` today; None if not."""
    if not path.is_file():
        return None
    text = read_text(path)
    found = read_header(text)
    if found is None or found.digest != digest or not loads(text):
        return None
    return text, found
