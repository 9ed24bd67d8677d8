"""Before the first statement on a backend whose DDL is not transactional (MariaDB): every
pending revision is rendered offline for it, and a revision it cannot compile (a String without
a length) is refused with its file, line and reason. Nothing is half applied for that.

Only compile failures refuse: a revision that reads the live database cannot render offline,
and that is no fault (db-lint reports it as offline-render).
"""

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from alembic.script import Script

from mcpgateway.errors import ToolkitError
from mcpgateway.migrate import compat
from mcpgateway.migrate.lint.record import render
from mcpgateway.migrate.lint.rules import failure_text
from mcpgateway.migrate.paths import shown_path


class UncompilableRevision(ToolkitError):
    """A pending revision this backend cannot compile."""


def require_compilable(steps: Iterable[Any], dialect: str, backend: str) -> None:
    """Raise UncompilableRevision for the first upgrade step ``dialect`` cannot compile."""
    for step in steps:
        script = getattr(step, "revision", None)
        if not isinstance(script, Script) or not getattr(step, "is_upgrade", False):
            continue
        if getattr(step, "is_stamp", False) or script.module is None:
            continue
        path = Path(script.path)
        with compat.keeping_op_proxy():
            if not render(script.module, path, dialect, recorded=False).uncompilable:
                continue
            rendering = render(script.module, path, dialect)  # what and where, for the message
        if rendering.uncompilable:
            raise UncompilableRevision(
                f"revision {script.revision} ({shown_path(path)}:{rendering.failure_line}) "
                f"cannot run on {backend}: {failure_text(rendering)}. Nothing was run; fix the "
                "revision (make db-lint REV=... names it), then make db-up"
            )
