"""Hooks env.py gives Alembic's autogenerate: refuse empty revisions, keep file names ASCII."""

import unicodedata
from collections.abc import Iterable
from typing import Any

from alembic.config import Config
from alembic.operations.ops import MigrationScript
from alembic.runtime.migration import MigrationContext

from mcpgateway.errors import EmptyRevision


def ascii_message(message: str) -> str:
    """Fold ``message`` to ASCII; Alembic builds the file name's slug from the result."""
    return unicodedata.normalize("NFKD", message).encode("ascii", "ignore").decode("ascii")


# Set by the toolkit's CLI when it calls ``alembic.command.revision`` programmatically.
WRITES_REVISION = "mcpgateway.writes_revision"


def writes_revision(config: Config) -> bool:
    """Tell ``revision`` (which writes a file) from ``check`` (which only compares)."""
    cmd = getattr(config.cmd_opts, "cmd", None)
    if cmd is not None:
        return getattr(cmd[0], "__name__", "") == "revision"
    return bool(config.attributes.get(WRITES_REVISION, False))


def process_revision_directives(
    context: MigrationContext, revision: Any, directives: list[MigrationScript]
) -> None:
    """Refuse an empty autogenerate, and keep the exact message for the docstring only.

    env.py only runs for ``revision`` when autogenerating (``revision_environment`` is off),
    so an empty script there means the models match the database. ``check`` runs this hook
    too, and must still report "no changes" normally.
    Recipe: Alembic cookbook, "Don't Generate Empty Migrations with Autogenerate".
    """
    if not directives:
        return
    script = directives[0]
    upgrade_ops: Iterable[Any] = script.upgrade_ops_list
    if not writes_revision(context.config):
        return
    if all(ops.is_empty() for ops in upgrade_ops):
        raise EmptyRevision(
            "no changes detected between the models and the database; no revision written"
        )
    message = script.message or ""
    context.opts["template_args"]["message_text"] = message
    script.message = ascii_message(message)
