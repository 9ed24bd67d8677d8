"""Turns Alembic's failures into one line that says what happened and what to type next.

Each explanation is read from the structured exception Alembic raised under its
``CommandError`` (``ResolutionError.argument``, ``MultipleHeads.heads``,
``RangeNotAncestorError.lower/upper``) or from where it was raised, never from message text.
"""

import re
import traceback
from pathlib import Path

import sqlalchemy as sa
from alembic.script import revision as rev_errors
from alembic.util import CommandError

from mcpgateway.errors import BehindHead, ToolkitError, UnknownRevision, UsageError
from mcpgateway.migrate.paths import shown_path
from mcpgateway.migrate.run.preflight import unknown_recorded_revision

_RELATIVE = re.compile(r"^(?:\w+@)?[-+]\d+$")


def _is_migration_file(filename: str, *, env: bool = True) -> bool:
    """A revision (a .py file in a ``versions`` folder) or, with ``env``, alembic/env.py.

    The folder's own name is compared, not a substring: pyenv keeps Python under .../versions/.
    """
    path = Path(filename)
    return path.parent.name == "versions" or (env and path.parts[-2:] == ("alembic", "env.py"))


def _migration_frame(exc: BaseException, *, env: bool = True) -> traceback.FrameSummary | None:
    frames = traceback.extract_tb(exc.__traceback__)
    return next((f for f in reversed(frames) if _is_migration_file(f.filename, env=env)), None)


def _raised_in(exc: BaseException, module_file: str) -> bool:
    frames = traceback.extract_tb(exc.__traceback__)
    return bool(frames) and Path(frames[-1].filename).parts[-2:] == tuple(module_file.split("/"))


def explain_crash(exc: Exception) -> ToolkitError | None:
    """Name the revision file (or env.py) and line an unexpected exception came from."""
    if isinstance(exc, SyntaxError) and exc.filename and _is_migration_file(exc.filename):
        return ToolkitError(
            f"{shown_path(exc.filename)}:{exc.lineno} is not valid Python ({exc.msg}); "
            "fix the revision file"
        )
    if isinstance(exc, KeyError) and _raised_in(exc, "script/revision.py"):
        # Alembic builds its revision map and meets a depends_on naming no known revision.
        missing = exc.args[0] if exc.args else "?"
        return UnknownRevision(
            f"a revision depends on {missing}, which no file in the version folders has (a "
            "plugin written against another core history?): restore that revision, or correct "
            "the depends_on that names it"
        )
    where = _migration_frame(exc)
    if where is None:
        return None
    frames = traceback.extract_tb(exc.__traceback__)
    raised = f"{type(exc).__name__}: {exc}".rstrip(": ")
    if frames and frames[-1] != where and "site-packages" in frames[-1].filename:
        # Raised inside a library (Alembic, SQLAlchemy) on behalf of a revision or env.py.
        library = Path(frames[-1].filename).parts
        name = library[library.index("site-packages") + 1] if "site-packages" in library else "?"
        return ToolkitError(
            f"{name} failed with {raised} while running {shown_path(where.filename)}:"
            f"{where.lineno}; check the REV given and the revision files (make db-history)"
        )
    return ToolkitError(f"{shown_path(where.filename)}:{where.lineno} raised {raised}")


def exited(exc: SystemExit) -> str:
    """One line for a ``sys.exit()`` that code a command ran called: where, when it was a
    revision file or env.py."""
    called = f"sys.exit({exc.code!r})" if exc.code is not None else "sys.exit()"
    where = _migration_frame(exc)
    place = f"{shown_path(where.filename)}:{where.lineno}" if where else "code the command ran"
    return f"{place} called {called}, so the command did not finish; remove that call"


def explain(exc: CommandError, *, rev: str | None) -> ToolkitError | None:
    """A clearer error for ``exc``, or None to show Alembic's own message."""
    cause = exc.__cause__
    if cause is None and str(exc) == "Target database is not up to date.":
        # Alembic's check and revision --autogenerate compare only a database at head.
        return BehindHead(
            "the database is behind head: run make db-up first (make db-status lists what is "
            "pending), then compare again"
        )
    if isinstance(cause, rev_errors.MultipleHeads):
        return UsageError(
            f"REV={rev or cause.argument} is ambiguous: several heads ({', '.join(cause.heads)}); "
            "name one revision, or PLUGIN=<name> for one plugin's history (make db-heads)"
        )
    if isinstance(cause, rev_errors.ResolutionError):
        missing = cause.argument
        if rev and missing and missing in rev:
            return UnknownRevision(
                f"REV={rev}: no revision {missing!r} exists; make db-history lists them"
            )
        return UnknownRevision(unknown_recorded_revision(missing))
    if isinstance(cause, rev_errors.RangeNotAncestorError):
        return UnknownRevision(
            f"REV={rev} is not reachable from the database's current revision in that "
            "direction; make db-status shows where it is"
        )
    if type(cause) is rev_errors.RevisionError and rev and _RELATIVE.match(rev):
        # The toolkit refuses a walk past either end itself (history.targets); what reaches
        # here is a walk Alembic cannot take, such as through a merge. Its words say which.
        return UnknownRevision(
            f"REV={rev} cannot be walked from where the database is ({cause}); name the "
            "revision to go to instead (make db-history lists them)"
        )
    if cause is None and _raised_in(exc, "operations/batch.py"):
        where = _migration_frame(exc, env=False)
        at = f"{shown_path(where.filename)}:{where.lineno}" if where else "a revision"
        return ToolkitError(
            f"offline SQL for SQLite stops at {at}: it rebuilds a table (batch mode), which "
            "needs a live database to reflect. Render the range before it (REV=start:end), "
            "use DIALECT=postgresql or mysql, or apply it with make db-up"
        )
    return None


def failure(exc: BaseException, *, rev: str | None = None) -> tuple[str, int] | None:
    """The one line and the exit code for an expected failure; None for a real crash."""
    if isinstance(exc, ToolkitError):
        return str(exc), exc.exit_code
    if isinstance(exc, CommandError):
        clearer = explain(exc, rev=rev)
        return str(clearer or exc), clearer.exit_code if clearer else 1
    if isinstance(exc, sa.exc.DBAPIError):
        return f"database error: {str(exc.orig).strip().splitlines()[0]}", 1
    if isinstance(exc, KeyboardInterrupt):
        return "interrupted", 130
    crash = explain_crash(exc) if isinstance(exc, Exception) else None
    return (str(crash), crash.exit_code) if crash is not None else None
