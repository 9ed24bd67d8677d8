"""The rules (``catalog``) checked against the operations a revision runs, so they hold on
every backend. PostgreSQL's lock rules come from squawk (see ``squawk.py``), mapped onto the
same ids."""

import re
from dataclasses import dataclass, replace

import sqlalchemy as sa
from alembic.operations import ops

from mcpgateway.migrate.lint.record import Rendering


@dataclass(frozen=True)
class Hit:
    """A rule that fired at a line for one dialect, with the operation in words."""

    rule: str
    line: int
    dialect: str
    operation: str
    source: str = "ops"  # or "squawk <rule-name>"


_UPDATE = re.compile(r"^\s*(UPDATE|DELETE)\b", re.IGNORECASE)
_FK_CHECKS_OFF = re.compile(r"foreign_key_checks\s*=\s*0", re.IGNORECASE)
GENERIC = {
    ops.DropTableOp: "drop-table",
    ops.DropColumnOp: "drop-column",
    ops.RenameTableOp: "rename-table",
}


def describe(operation: ops.MigrateOperation) -> str:
    """The operation as a reader would name it: ``alter_column tools.slug nullable=False``."""
    name = re.sub(r"(?<!^)(?=[A-Z])", "_", type(operation).__name__.removesuffix("Op")).lower()
    table = getattr(operation, "table_name", None) or getattr(operation, "source_table", None)
    target = getattr(operation, "column_name", None)
    if isinstance(operation, ops.AddColumnOp):
        target = operation.column.name
    if isinstance(operation, ops.ExecuteSQLOp):
        text = " ".join(_sql_text(operation.sqltext).split())
        return f"execute {text[:70]}{'...' if len(text) > 70 else ''}"
    where = ".".join(str(part) for part in (table, target) if part)
    named = getattr(operation, "constraint_name", None) or getattr(operation, "index_name", None)
    if named:
        where = f"{named} on {where}"
    if isinstance(operation, ops.AlterColumnOp):
        changes = {
            "nullable": operation.modify_nullable,
            "type": operation.modify_type,
            "server_default": operation.modify_server_default,
            "name": operation.modify_name,
        }
        shown = [
            f"{k}={v}" for k, v in changes.items() if k != "nullable" and v not in (None, False)
        ]
        if operation.modify_nullable is not None:
            shown.append(f"nullable={operation.modify_nullable}")
        where = " ".join([where, *shown])
    return f"{name} {where}".strip()


def _sql_text(statement: object) -> str:
    if isinstance(statement, sa.sql.ClauseElement):
        try:
            return str(statement.compile(compile_kwargs={"literal_binds": True}))
        except Exception:  # a value with no literal form: show the placeholders
            return str(statement)
    return str(statement)


def _is_update(operation: ops.ExecuteSQLOp) -> bool:
    """Whether an execute() is an UPDATE or DELETE (a WHERE does not make it small)."""
    text = operation.sqltext
    if isinstance(text, sa.Update | sa.Delete):
        return True
    return isinstance(text, str | sa.TextClause) and bool(_UPDATE.match(str(text)))


def check(rendering: Rendering) -> list[Hit]:
    """The rules over one dialect's operations; tables created in this revision are exempt."""
    dialect, hits = rendering.dialect, []
    created: set[str] = set()
    foreign_key_checks = True

    def hit(rule: str, recorded_line: int, operation: ops.MigrateOperation) -> None:
        hits.append(Hit(rule, recorded_line, dialect, describe(operation)))

    renamed = _probable_renames(rendering)
    for recorded in rendering.operations:
        operation, line = recorded.operation, recorded.line
        table = getattr(operation, "table_name", None) or getattr(operation, "source_table", None)
        if id(operation) in renamed:
            hits.append(Hit("probable-rename", line, dialect, renamed[id(operation)]))
            continue
        if isinstance(operation, ops.CreateTableOp):
            created.add(operation.table_name)
            continue
        if isinstance(operation, ops.ExecuteSQLOp):
            if isinstance(operation.sqltext, str) and _FK_CHECKS_OFF.search(operation.sqltext):
                foreign_key_checks = False
            if _is_update(operation) and not recorded.batched_backfill:
                hit("unbatched-update", line, operation)
            continue
        if table in created:
            continue
        for kind, rule in GENERIC.items():
            if isinstance(operation, kind):
                hit(rule, line, operation)
        if isinstance(operation, ops.AddColumnOp):
            column = operation.column
            if not column.nullable and column.server_default is None and not column.primary_key:
                hit("add-not-null-column", line, operation)
        if isinstance(operation, ops.AlterColumnOp):
            if operation.modify_name:
                hit("rename-column", line, operation)
            if operation.modify_type is not None:
                hit("change-type", line, operation)
            if operation.modify_nullable is False:
                hit("set-not-null", line, operation)
        copies = isinstance(operation, ops.CreateForeignKeyOp | ops.CreatePrimaryKeyOp)
        if dialect == "mysql" and foreign_key_checks and copies:
            hit("mariadb-copy", line, operation)
    for rebuild in rendering.rebuilds:
        if rebuild.table not in created:
            hits.append(Hit("sqlite-rebuild", rebuild.line, dialect, f"batch {rebuild.table}"))
    if rendering.failure:
        rule, what = "offline-render", rendering.failure
        if rendering.uncompilable:
            rule, what = "backend-cannot-create", failure_text(rendering)
        elif rendering.broken:
            rule = "revision-error"
        hits.append(Hit(rule, rendering.failure_line, dialect, what))
    hits += _index_before_table(rendering)
    if rendering.function != "upgrade":  # a downgrade undoes: only what makes it fail counts
        hits = [
            replace(hit, operation=f"{rendering.function}: {hit.operation}")
            for hit in hits
            if hit.rule in DOWNGRADE_RULES
        ]
    return hits


def failure_text(rendering: Rendering) -> str:
    """Why the render stopped; a compile failure with the operation it stopped at (it names
    the table and column)."""
    last = rendering.operations[-1].operation if rendering.operations else None
    failure = rendering.failure or ""
    return f"{describe(last)}: {failure}" if rendering.uncompilable and last else failure


# What db-lint reports of a downgrade: what stops it, not what it drops (that is its job).
DOWNGRADE_RULES = frozenset({"backend-cannot-create", "revision-error", "drop-index-before-table"})


def _index_before_table(rendering: Rendering) -> list[Hit]:
    """MariaDB: a drop_index of a table the same revision drops afterwards."""
    if rendering.dialect != "mysql":
        return []
    indexes: dict[str, list[tuple[int, str]]] = {}
    hits = []
    for recorded in rendering.operations:
        operation = recorded.operation
        if isinstance(operation, ops.DropIndexOp) and operation.table_name:
            indexes.setdefault(operation.table_name, []).append(
                (recorded.line, describe(operation))
            )
        elif isinstance(operation, ops.DropTableOp):
            for line, what in indexes.pop(operation.table_name, []):
                hits.append(Hit("drop-index-before-table", line, "mysql", what))
    return hits


def _probable_renames(rendering: Rendering) -> dict[int, str]:
    """Each drop_column of a table that also gets a new column in the same revision, by the
    operation's id, described as the pair."""
    added: dict[str, list[str]] = {}
    for recorded in rendering.operations:
        operation = recorded.operation
        if isinstance(operation, ops.AddColumnOp):
            added.setdefault(operation.table_name, []).append(operation.column.name)
    pairs: dict[int, str] = {}
    for recorded in rendering.operations:
        operation = recorded.operation
        if isinstance(operation, ops.DropColumnOp) and added.get(operation.table_name):
            table, new = operation.table_name, ", ".join(added[operation.table_name])
            pairs[id(operation)] = f"drop_column {table}.{operation.column_name} + add {new}"
    return pairs


# Which operation a squawk finding on a batch block's SQL belongs to, by our rule id.
SQUAWK_OPERATIONS: dict[str, tuple[type[ops.MigrateOperation], ...]] = {
    "add-unique-constraint": (ops.CreateUniqueConstraintOp,),
    "index-not-concurrent": (ops.CreateIndexOp, ops.DropIndexOp),
    "concurrently-in-transaction": (ops.CreateIndexOp, ops.DropIndexOp),
    "constraint-not-valid": (ops.CreateForeignKeyOp, ops.CreateCheckConstraintOp),
    "volatile-default": (ops.AddColumnOp,),
    "set-not-null": (ops.AlterColumnOp,),
    "change-type": (ops.AlterColumnOp,),
    "rename-column": (ops.AlterColumnOp,),
    "add-not-null-column": (ops.AddColumnOp,),
    "drop-column": (ops.DropColumnOp,),
}
