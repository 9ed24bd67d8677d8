"""Hooks env.py gives Alembic's autogenerate: refuse empty revisions, keep file names ASCII."""

import unicodedata
from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa
from alembic.operations.ops import (
    DropColumnOp,
    DropIndexOp,
    DropTableOp,
    MigrationScript,
    ModifyTableOps,
)
from alembic.runtime.migration import MigrationContext

from mcpgateway.errors import EmptyRevision
from mcpgateway.migrate.models import OWNER, owner
from mcpgateway.migrate.options import RunOptions
from mcpgateway.migrate.plugins import CORE, enabled_plugins


def ascii_message(message: str) -> str:
    """Fold ``message`` to ASCII; Alembic builds the file name's slug from the result."""
    return unicodedata.normalize("NFKD", message).encode("ascii", "ignore").decode("ascii")


def revision_directives(options: RunOptions) -> Any:
    """The ``process_revision_directives`` hook for a run with ``options``."""

    def process(
        context: MigrationContext, revision: Any, directives: list[MigrationScript]
    ) -> None:
        writes = options.autogenerate == "revision"
        process_revision_directives(context, directives, writes_revision=writes)

    return process


def process_revision_directives(
    context: MigrationContext, directives: list[MigrationScript], *, writes_revision: bool
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
    if not writes_revision:
        return
    if all(ops.is_empty() for ops in upgrade_ops):
        raise EmptyRevision(
            "no changes detected between the models and the database; no revision written"
        )
    message = script.message or ""
    context.opts["template_args"]["message_text"] = message
    context.opts["template_args"]["downgrade_loses"] = downgrade_loses(script)
    script.message = ascii_message(message)
    _drop_ownership_info(script)
    _tables_drop_their_indexes(script)


def downgrade_loses(script: MigrationScript) -> tuple[str, ...]:
    """What the generated downgrade drops: ``table`` or ``table.column``, for the author to
    confirm in the revision's ``downgrade_loses`` (tests/test_fidelity.py checks it with data)."""
    lost: list[str] = []
    for ops in script.downgrade_ops_list:
        for op in ops.ops:
            if isinstance(op, DropTableOp):
                lost.append(op.table_name)
            for inner in getattr(op, "ops", []):  # ModifyTableOps: the ops on one table
                if isinstance(inner, DropColumnOp):
                    lost.append(f"{inner.table_name}.{inner.column_name}")
    return tuple(lost)


def _tables_drop_their_indexes(script: MigrationScript) -> None:
    """Leave out ``drop_index`` for a table the same ops drop: ``DROP TABLE`` takes its indexes
    with it, and MariaDB refuses to drop first an index a foreign key needs (error 1553)."""
    for ops in [*script.upgrade_ops_list, *script.downgrade_ops_list]:
        dropped = {(op.schema, op.table_name) for op in ops.ops if isinstance(op, DropTableOp)}
        kept: list[Any] = []
        for op in ops.ops:
            if isinstance(op, ModifyTableOps) and (op.schema, op.table_name) in dropped:
                op.ops = [inner for inner in op.ops if not isinstance(inner, DropIndexOp)]
                if op.is_empty():
                    continue
            if isinstance(op, DropIndexOp) and (op.schema, op.table_name) in dropped:
                continue
            kept.append(op)
        ops.ops = kept


def _drop_ownership_info(script: MigrationScript) -> None:
    # Ownership is a fact of the models, not of the schema; don't render it into revisions.
    for ops in [*script.upgrade_ops_list, *script.downgrade_ops_list]:
        for op in ops.ops:
            info = getattr(op, "info", None)
            if info and OWNER in info:
                op.info = {key: value for key, value in info.items() if key != OWNER}


def scope(options: RunOptions) -> frozenset[str]:
    """The owners whose tables autogenerate may compare: one for a revision, all for a check.

    A revision touches one history (the core's, or one plugin's); ``check`` compares the core
    and every enabled plugin. Tables nobody declared are never in scope, so never dropped.
    """
    if options.autogenerate == "revision":
        return frozenset({options.plugin or CORE})
    return frozenset({CORE, *(plugin.name for plugin in enabled_plugins())})


def table_filters(metadata: sa.MetaData, owners: frozenset[str]) -> dict[str, Any]:
    """``include_name`` (before reflection) and ``include_object`` for ``owners``' tables.

    Recipe: Alembic cookbook / autogenerate docs, "Omitting Table Names from the
    Autogenerate Process" (include_name filters before any table is reflected).
    """

    def include_name(name: str | None, type_: str, _parents: Any) -> bool:
        if type_ != "table":
            return True
        table = metadata.tables.get(name or "")
        return table is not None and owner(table) in owners

    def include_object(
        obj: Any, name: str | None, type_: str, reflected: bool, _other: Any
    ) -> bool:
        if type_ != "table" or reflected:
            return True
        return owner(obj) in owners

    return {"include_name": include_name, "include_object": include_object}
