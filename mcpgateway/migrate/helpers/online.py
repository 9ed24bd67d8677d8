"""The least blocking form of each change on each backend: the safe forms ``make db-lint``
points to."""

from typing import Any

import sqlalchemy as sa
from alembic import op

from mcpgateway.migrate.helpers.idempotent import live_schema


def _dialect() -> str:
    return op.get_context().dialect.name


def create_index_concurrently(name: str, table: str, columns: list[str], **kw: Any) -> None:
    """PostgreSQL: CREATE INDEX CONCURRENTLY, outside the transaction (writes go on).

    MariaDB builds secondary indexes online anyway; SQLite has one writer at a time.
    """
    if _dialect() == "postgresql":
        with op.get_context().autocommit_block():
            op.create_index(name, table, columns, postgresql_concurrently=True, **kw)
    else:
        op.create_index(name, table, columns, **kw)


def drop_index_concurrently(name: str, table: str) -> None:
    """PostgreSQL: DROP INDEX CONCURRENTLY, outside the transaction; elsewhere a plain drop."""
    if _dialect() == "postgresql":
        with op.get_context().autocommit_block():
            op.drop_index(name, table_name=table, postgresql_concurrently=True)
    else:
        op.drop_index(name, table_name=table)


def add_unique_constraint_concurrently(name: str, table: str, columns: list[str]) -> None:
    """PostgreSQL: build the unique index concurrently, then attach it as the constraint.

    MariaDB adds a unique key online (LOCK=NONE); SQLite rebuilds the table (batch mode).
    """
    if _dialect() == "postgresql":
        create_index_concurrently(name, table, columns, unique=True)
        op.execute(f"ALTER TABLE {table} ADD CONSTRAINT {name} UNIQUE USING INDEX {name}")
    else:
        with op.batch_alter_table(table) as batch:
            batch.create_unique_constraint(name, columns)


def add_foreign_key_not_valid(
    name: str,
    source: str,
    referent: str,
    local_columns: list[str],
    remote_columns: list[str],
    **kw: Any,
) -> None:
    """Add a foreign key without checking the rows already there; validate_constraint() later.

    PostgreSQL: NOT VALID (new rows are checked at once). MariaDB: with foreign_key_checks=0,
    which lets InnoDB add it in place instead of copying the table. SQLite: batch mode.
    """
    dialect = _dialect()
    if dialect == "postgresql":
        op.create_foreign_key(
            name, source, referent, local_columns, remote_columns, postgresql_not_valid=True, **kw
        )
    elif dialect in ("mysql", "mariadb"):
        op.execute("SET SESSION foreign_key_checks = 0")
        op.create_foreign_key(name, source, referent, local_columns, remote_columns, **kw)
        op.execute("SET SESSION foreign_key_checks = 1")
    else:
        with op.batch_alter_table(source) as batch:
            batch.create_foreign_key(name, referent, local_columns, remote_columns, **kw)


def add_check_not_valid(name: str, table: str, condition: str) -> None:
    """PostgreSQL: a CHECK marked NOT VALID; elsewhere a plain one (they check existing rows)."""
    if _dialect() == "postgresql":
        op.create_check_constraint(name, table, condition, postgresql_not_valid=True)
    else:
        with op.batch_alter_table(table) as batch:
            batch.create_check_constraint(name, condition)


def validate_constraint(name: str, table: str) -> None:
    """Check the rows that were there when a NOT VALID constraint was added.

    PostgreSQL: VALIDATE CONSTRAINT in a transaction of its own (what came before in the
    revision is committed first; in one transaction with the ADD it would block reads), and
    reads and writes go on while it scans. MariaDB: a foreign key added
    with checks off is verified by counting rows that point nowhere; any such row fails the
    revision, naming the key. Elsewhere (and offline on MariaDB) there is nothing to do.
    """
    dialect = _dialect()
    if dialect == "postgresql":
        with op.get_context().autocommit_block():
            op.execute(f"ALTER TABLE {table} VALIDATE CONSTRAINT {name}")
        return
    inspector = live_schema()
    if dialect not in ("mysql", "mariadb") or inspector is None:
        return
    for key in inspector.get_foreign_keys(table):
        if key["name"] != name:
            continue
        pairs = " AND ".join(
            f"r.{remote} = t.{local}"
            for local, remote in zip(
                key["constrained_columns"], key["referred_columns"], strict=True
            )
        )
        present = " AND ".join(f"t.{local} IS NOT NULL" for local in key["constrained_columns"])
        orphans = op.get_bind().scalar(
            sa.text(
                f"SELECT COUNT(*) FROM {table} t WHERE {present} AND NOT EXISTS "
                f"(SELECT 1 FROM {key['referred_table']} r WHERE {pairs})"
            )
        )
        if orphans:
            raise ValueError(f"{orphans} rows of {table} break foreign key {name}; fix them first")
