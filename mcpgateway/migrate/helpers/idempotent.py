"""DDL that looks at the live schema first. In offline (``--sql``) mode there is nothing to look
at, so each emits its operation unconditionally."""

from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy.sql.schema import SchemaItem


def live_schema() -> sa.Inspector | None:
    """The live schema, or None offline (``--sql``), where there is nothing to look at."""
    if op.get_context().as_sql:  # offline: there is no database to look at
        return None
    return sa.inspect(op.get_bind())


def table_exists(table: str) -> bool | None:
    """Whether ``table`` exists; None in offline mode, where nothing can be looked at."""
    inspector = live_schema()
    return None if inspector is None else inspector.has_table(table)


def _index_exists(table: str, name: str) -> bool | None:
    inspector = live_schema()
    if inspector is None:
        return None
    return inspector.has_table(table) and any(
        index["name"] == name for index in inspector.get_indexes(table)
    )


def _column_exists(table: str, column: str) -> bool | None:
    inspector = live_schema()
    if inspector is None:
        return None
    return inspector.has_table(table) and any(
        found["name"] == column for found in inspector.get_columns(table)
    )


def create_table_if_missing(table: str, *items: SchemaItem, **kw: Any) -> bool:
    """Create ``table`` unless it exists; True when it was created (or emitted offline)."""
    if table_exists(table):
        return False
    op.create_table(table, *items, **kw)
    return True


def drop_table_if_exists(table: str) -> bool:
    """Drop ``table`` if it exists; its indexes and constraints go with it."""
    if table_exists(table) is False:
        return False
    op.drop_table(table)
    return True


def drop_tables(*tables: str) -> None:
    """Drop tables in the order given (children first), skipping those already gone.

    Indexes are not dropped one by one first, as autogenerate writes it: MariaDB refuses to
    drop an index that a foreign key still needs, and the table takes its indexes with it.
    """
    for table in tables:
        drop_table_if_exists(table)


def create_index_if_missing(name: str, table: str, columns: list[str], **kw: Any) -> bool:
    """Create index ``name`` on ``table`` unless it exists."""
    if _index_exists(table, name):
        return False
    op.create_index(name, table, columns, **kw)
    return True


def drop_index_if_exists(name: str, table: str) -> bool:
    """Drop index ``name`` from ``table`` if it exists."""
    if _index_exists(table, name) is False:
        return False
    op.drop_index(name, table_name=table)
    return True


def add_column_if_missing(table: str, column: sa.Column[object]) -> bool:
    """Add ``column`` to ``table`` unless a column of that name is there (batch on SQLite)."""
    if _column_exists(table, column.name):
        return False
    with op.batch_alter_table(table) as batch:
        batch.add_column(column)
    return True


def drop_column_if_exists(table: str, column: str) -> bool:
    """Drop ``column`` from ``table`` if it is there (batch on SQLite)."""
    if _column_exists(table, column) is False:
        return False
    with op.batch_alter_table(table) as batch:
        batch.drop_column(column)
    return True
