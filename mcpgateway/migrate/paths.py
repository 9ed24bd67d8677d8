"""How the toolkit shows a file: relative to the working folder when it is inside it."""

from pathlib import Path


def shown_path(filename: str | Path) -> str:
    """``filename`` relative to the working folder when it is inside it, else absolute."""
    path = Path(filename).resolve()
    try:
        return path.relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return path.as_posix()
