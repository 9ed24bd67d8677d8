"""Files: where alembic.ini is, how the toolkit shows a file (relative to the working folder
when it is inside it), and how it writes one (aside, then renamed into place, so a failure
leaves no half file)."""

import os
from pathlib import Path


def shown_path(filename: str | Path) -> str:
    """``filename`` relative to the working folder when it is inside it, else absolute."""
    try:
        path = Path(filename).resolve()
    except (OSError, RuntimeError):  # a symlink loop, on Python 3.11 a RuntimeError
        path = Path(filename).absolute()
    try:
        return path.relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def write_atomically(target: Path, text: str, *, private: bool = False) -> None:
    """Write ``text`` to a hidden partial file beside ``target``, then rename it over
    ``target``; a failure leaves no partial file. ``private``: readable by the owner only."""
    partial = target.with_name(f".{target.name}.partial")
    flags = os.O_CREAT | os.O_WRONLY | (os.O_EXCL if private else os.O_TRUNC)
    try:
        with os.fdopen(os.open(partial, flags, 0o600 if private else 0o644), "w") as out:
            out.write(text)
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)


# alembic.ini's path_separator values, as Alembic reads them.
PATH_SEPARATORS = {"space": " ", "newline": "\n", "os": os.pathsep, ":": ":", ";": ";"}


def ini_path() -> Path:
    """alembic.ini as the toolkit finds it: ``$ALEMBIC_CONFIG`` (as Alembic reads it), else
    ./alembic.ini."""
    return Path(os.environ.get("ALEMBIC_CONFIG") or "alembic.ini")
