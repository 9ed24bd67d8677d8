"""The rules: each with an id, a severity, why it is unsafe and the safe alternative.

Most rules look at the Alembic operations a revision runs, so they hold on every backend.
PostgreSQL's lock rules come from squawk (see ``squawk.py``), mapped onto these ids.
"""

import re
from dataclasses import dataclass

import sqlalchemy as sa
from alembic.operations import ops

from mcpgateway.migrate.lint.record import Rendering

ERROR, WARNING, INFO = "error", "warning", "info"


@dataclass(frozen=True)
class Rule:
    """What a finding of this rule means and how to fix it."""

    id: str
    severity: str
    why: str
    fix: str


RULES = {
    rule.id: rule
    for rule in (
        Rule(
            "drop-table",
            ERROR,
            "drops the table and every row; code still running may read or write it",
            "expand/contract: stop using it in one release, drop it in a later one (back up)",
        ),
        Rule(
            "drop-column",
            ERROR,
            "destroys the column's data; code still running may read or write it",
            "expand/contract: stop reading it first, drop it in a later release",
        ),
        Rule(
            "rename-column",
            ERROR,
            "code still running uses the old name and fails until it is deployed",
            "add the new column, write both, backfill, switch reads, drop the old one later",
        ),
        Rule(
            "rename-table",
            ERROR,
            "code still running uses the old name and fails until it is deployed",
            "create the new table, write both, backfill, switch reads, drop the old one later",
        ),
        Rule(
            "change-type",
            ERROR,
            "rewrites the table under an exclusive lock (MariaDB copies it); values may not fit",
            "add a column of the new type, backfill it in batches, switch, drop the old later",
        ),
        Rule(
            "add-not-null-column",
            ERROR,
            "existing rows have no value: it fails, or rewrites the table to fill one in",
            "add it nullable (or with a constant server_default), backfill, then set NOT NULL",
        ),
        Rule(
            "set-not-null",
            ERROR,
            "scans the whole table under an exclusive lock (SQLite and MariaDB rebuild it)",
            "PostgreSQL: add CHECK (col IS NOT NULL) NOT VALID, VALIDATE it, then SET NOT NULL",
        ),
        Rule(
            "add-unique-constraint",
            ERROR,
            "PostgreSQL builds the unique index under a lock that blocks reads and writes "
            "(MariaDB builds it online; SQLite rebuilds the table, see sqlite-rebuild)",
            "helpers.add_unique_constraint_concurrently: the index concurrently, then the "
            "constraint USING INDEX",
        ),
        Rule(
            "index-not-concurrent",
            ERROR,
            "CREATE/DROP INDEX blocks writes (DROP blocks reads too) for the whole build",
            "helpers.create_index_concurrently / drop_index_concurrently",
        ),
        Rule(
            "concurrently-in-transaction",
            ERROR,
            "CONCURRENTLY cannot run inside a transaction block: the revision fails",
            "wrap it in op.get_context().autocommit_block() (the helpers do)",
        ),
        Rule(
            "constraint-not-valid",
            ERROR,
            "a new FOREIGN KEY or CHECK scans the table while writes wait",
            "helpers.add_foreign_key_not_valid / add_check_not_valid, then "
            "helpers.validate_constraint (ideally in a later revision)",
        ),
        Rule(
            "volatile-default",
            ERROR,
            "a volatile server default (random(), gen_random_uuid()...) rewrites every row",
            "add the column without a default, set the default after, backfill in batches",
        ),
        Rule(
            "missing-downgrade",
            ERROR,
            "the revision cannot be reverted: db-down fails or silently does nothing",
            "write downgrade(); if it loses data, declare it in downgrade_loses",
        ),
        Rule(
            "unbatched-update",
            ERROR,
            "one UPDATE/DELETE over the whole table holds its row locks until it ends",
            "helpers.backfill(table, values, where=...) updates in keyed batches",
        ),
        Rule(
            "mariadb-copy",
            WARNING,
            "MariaDB runs this with ALGORITHM=COPY: the table is copied and writes wait",
            "add foreign keys with helpers.add_foreign_key_not_valid (foreign_key_checks=0, "
            "INPLACE) and check them with helpers.validate_constraint",
        ),
        Rule(
            "sqlite-rebuild",
            INFO,
            "SQLite batch mode copies the table to a new one and swaps it in",
            "expected on SQLite; keep such tables small or the step fast",
        ),
        Rule(
            "offline-render",
            WARNING,
            "the revision could not be rendered offline for this dialect, so it was not linted",
            "keep upgrade() free of reads that need a live database, or guard them with "
            "op.get_context().as_sql",
        ),
        Rule(
            "allow-without-reason",
            ERROR,
            "an allow comment must say why the finding is acceptable",
            "write it as: # lint: allow <rule> -- <reason>",
        ),
    )
}


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

    for recorded in rendering.operations:
        operation, line = recorded.operation, recorded.line
        table = getattr(operation, "table_name", None) or getattr(operation, "source_table", None)
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
        hits.append(Hit("offline-render", rendering.failure_line, dialect, rendering.failure))
    return hits


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
