"""Turns Alembic's terse errors into one line that says what happened and what to type next."""

from alembic.config import Config
from alembic.script import revision as rev_errors
from alembic.util import CommandError

from mcpgateway.db.status import position, unknown_recorded_revision
from mcpgateway.errors import BehindHead, ToolkitError, UnknownRevision


def explain(exc: CommandError, *, config: Config, rev: str | None) -> ToolkitError | None:
    """A clearer error for ``exc``, or None to show Alembic's own message."""
    cause = exc.__cause__
    message = str(exc)
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
