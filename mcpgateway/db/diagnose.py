"""Turns Alembic's terse errors into one line that says what happened and what to type next."""

import traceback
from pathlib import Path

from alembic.config import Config
from alembic.script import revision as rev_errors
from alembic.util import CommandError

from mcpgateway.db.registry import shown_path
from mcpgateway.db.status import position, unknown_recorded_revision
from mcpgateway.errors import BehindHead, ToolkitError, UnknownRevision


def _is_migration_file(filename: str, *, env: bool = True) -> bool:
    """A revision (a .py file in a ``versions`` folder) or, with ``env``, alembic/env.py.

    The folder's own name is compared, not a substring: pyenv keeps Python under .../versions/.
    """
    path = Path(filename)
    return path.parent.name == "versions" or (env and path.parts[-2:] == ("alembic", "env.py"))


def _migration_frame(exc: BaseException, *, env: bool = True) -> traceback.FrameSummary | None:
    frames = traceback.extract_tb(exc.__traceback__)
    return next((f for f in reversed(frames) if _is_migration_file(f.filename, env=env)), None)


def explain_crash(exc: Exception) -> ToolkitError | None:
    """Name the revision file (or env.py) and line an unexpected exception came from."""
    where = _migration_frame(exc)
    if where is None:
        return None
    return ToolkitError(
        f"{shown_path(where.filename)}:{where.lineno} raised {type(exc).__name__}: {exc}"
    )


def explain(exc: CommandError, *, config: Config, rev: str | None) -> ToolkitError | None:
    """A clearer error for ``exc``, or None to show Alembic's own message."""
    cause = exc.__cause__
    message = str(exc)
    if "batch mode with dialect sqlite requires a live database" in message:
        where = _migration_frame(exc, env=False)
        at = f"{shown_path(where.filename)}:{where.lineno}" if where else "a revision"
        return ToolkitError(
            f"offline SQL for SQLite stops at {at}: it rebuilds a table (batch mode), which "
            "needs a live database to reflect. Render the range before it (REV=start:end), "
            "use DIALECT=postgresql or mysql, or apply it with make db-up"
        )
    if isinstance(cause, rev_errors.ResolutionError) or message.startswith("Can't locate revision"):
        missing = getattr(cause, "argument", None) or message.rsplit("'", 2)[-2]
        if rev and missing in rev:
            return UnknownRevision(
                f"REV={rev}: no revision {missing!r} exists; make db-history lists them"
            )
        return UnknownRevision(unknown_recorded_revision(missing))
    if "didn't produce" in message:
        return UnknownRevision(
            f"REV={rev} goes below base; make db-status shows where the database is"
        )
    if "is not a valid downgrade target" in message or "not a valid upgrade target" in message:
        return UnknownRevision(
            f"REV={rev} is not reachable from the database's current revision in that "
            "direction; make db-status shows where it is"
        )
    if message == "Target database is not up to date.":
        where = position(config)
        current = ", ".join(where.current) or "base"
        return BehindHead(
            f"the database is behind head (at {current}, head is {', '.join(where.heads)}, "
            f"{len(where.pending)} pending): run make db-up first, then make db-new"
        )
    return None
