"""Hooks env.py gives Alembic's autogenerate: refuse empty revisions, keep file names ASCII."""

import fnmatch
import unicodedata
from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa
from alembic.operations.ops import (
    AddColumnOp,
    CreateTableOp,
    DropColumnOp,
    DropIndexOp,
    DropTableOp,
    MigrationScript,
    ModifyTableOps,
)
from alembic.runtime.migration import MigrationContext

from mcpgateway.config import get_settings
from mcpgateway.errors import EmptyRevision
from mcpgateway.migrate.models import OWNER, owner
from mcpgateway.migrate.options import RunOptions
from mcpgateway.migrate.plugins import CORE, discover, enabled_plugins
from mcpgateway.migrate.run import ledger, preflight


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
    created, added = new_enum_types(script, context)
    context.opts["template_args"]["enum_types_created"] = created
    context.opts["template_args"]["enum_types_added"] = added
    script.message = ascii_message(message)
    _drop_ownership_info(script)
    _tables_drop_their_indexes(script)
    _portable_recreated_tables(script, context)


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


def _native(column: Any) -> sa.Enum | None:
    kind = getattr(column, "type", None)
    return kind if isinstance(kind, sa.Enum) and kind.native_enum and kind.name else None


def new_enum_types(
    script: MigrationScript, context: MigrationContext
) -> tuple[tuple[str, ...], tuple[tuple[str, tuple[str, ...]], ...]]:
    """Native enum types (PostgreSQL's CREATE TYPE) this upgrade's new columns bring and no
    column before them used: all of them, which the downgrade drops (PostgreSQL keeps a type
    when its table or column goes); and those only added columns bring, with their values,
    which the upgrade creates first (create_table makes its own, add_column does not)."""
    made: dict[tuple[str, str], Any] = {}
    added: set[tuple[str, str]] = set()
    for ops in script.upgrade_ops_list:
        for op in ops.ops:
            inner = op.ops if isinstance(op, ModifyTableOps) else [op]
            for each in inner:
                if isinstance(each, CreateTableOp):
                    columns = [c for c in each.columns if isinstance(c, sa.Column)]
                    made |= {(each.table_name, c.name): c for c in columns if _native(c)}
                elif isinstance(each, AddColumnOp) and _native(each.column):
                    made[(each.table_name, each.column.name)] = each.column
                    added.add((each.table_name, each.column.name))
    before: set[str] = set()
    metadata = context.opts.get("target_metadata")
    if isinstance(metadata, sa.MetaData):  # a type an older column uses existed before
        for table in metadata.tables.values():
            for column in table.columns:
                kind = _native(column)
                if kind is not None and (table.name, column.name) not in made:
                    before.add(str(kind.name))
    types = {str(kind.name): kind for c in made.values() if (kind := _native(c)) is not None}
    new = {name for name in types if name not in before}
    first = {str(k.name) for key in added if (k := _native(made[key])) is not None} & new
    values = tuple((name, tuple(str(v) for v in types[name].enums)) for name in sorted(first))
    return tuple(sorted(new)), values


def _portable_recreated_tables(script: MigrationScript, context: MigrationContext) -> None:
    """A table the downgrade creates again was read from the database: drop the backend's own
    table options (mysql_engine...) and name an unnamed primary key as the models would."""
    metadata = context.opts.get("target_metadata")
    convention = metadata.naming_convention.get("pk") if isinstance(metadata, sa.MetaData) else None
    for ops in script.downgrade_ops_list:
        for op in ops.ops:
            if not isinstance(op, CreateTableOp):
                continue
            op.kw = {k: v for k, v in op.kw.items() if not k.startswith(("mysql_", "mariadb_"))}
            for item in op.columns:
                if isinstance(item, sa.PrimaryKeyConstraint) and not item.name and convention:
                    item.name = str(convention) % {"table_name": op.table_name}


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


# The toolkit's own tables: never anyone's model.
TOOLKIT_TABLES = frozenset({preflight.VERSION_TABLE, ledger.LEDGER.name})


def owner_of_undeclared(name: str, prefixes: dict[str, str]) -> str | None:
    """Who owns a table in the database that no model declares: the plugin whose prefix it
    has (enabled or not), else the core, whose model was deleted; None for the toolkit's."""
    if name in TOOLKIT_TABLES or name.startswith(preflight.BATCH_PREFIX):
        return None
    return next((plugin for plugin, prefix in prefixes.items() if name.startswith(prefix)), CORE)


def table_filters(metadata: sa.MetaData, owners: frozenset[str]) -> dict[str, Any]:
    """``include_name`` (before reflection) and ``include_object`` for ``owners``' tables.

    A table in the database that no model declares is compared too when it belongs to one of
    ``owners``: a core model that was deleted becomes a ``drop_table``. A plugin's table (by
    its prefix) is left alone unless that plugin is in ``owners``, enabled or not, and so is a
    table MIGRATION_IGNORE_TABLES names (another application's, in the same database).
    Recipe: Alembic cookbook / autogenerate docs, "Omitting Table Names from the
    Autogenerate Process" (include_name filters before any table is reflected).
    """
    prefixes = {plugin.name: plugin.table_prefix for plugin in discover().values()}
    ignored = get_settings().migration_ignore_tables

    def table_owner(name: str) -> str | None:
        if any(fnmatch.fnmatchcase(name, pattern) for pattern in ignored):
            return None  # another application's table (MIGRATION_IGNORE_TABLES)
        table = metadata.tables.get(name)
        return owner(table) if table is not None else owner_of_undeclared(name, prefixes)

    def include_name(name: str | None, type_: str, _parents: Any) -> bool:
        if type_ != "table":
            return True
        return table_owner(name or "") in owners

    def include_object(
        obj: Any, name: str | None, type_: str, reflected: bool, _other: Any
    ) -> bool:
        if type_ != "table":
            return True
        return table_owner(name or "") in owners

    return {"include_name": include_name, "include_object": include_object}
