"""What core and plugin revisions import: the standard columns, idempotent DDL, batched
backfills, and the least blocking forms of each change (``make db-lint`` points to them).

Nothing here reads the application: an applied revision must always do the same thing, so it
writes down the values it uses (column sizes, an enum's values) and passes them in. The
``*_if_*`` helpers look at the live schema first; in offline (``--sql``) mode there is nothing
to look at, so they emit the operation unconditionally.
"""

from collections.abc import Mapping, Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy.sql.schema import SchemaItem


def uuid_primary_key(table: str, *, length: int) -> list[SchemaItem]:
    """The ``id`` column of ``length`` characters and its named primary key."""
    return [
        sa.Column("id", sa.String(length=length), nullable=False),
        sa.PrimaryKeyConstraint("id", name=f"pk_{table}"),
    ]


def timestamp_columns() -> list[sa.Column[object]]:
    """``created_at`` and ``updated_at``, timezone-aware; index ``created_at`` separately."""
    return [
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    ]


def ownership_columns(
    table: str,
    *,
    visibility: Sequence[str],
    default: str,
    id_length: int,
    email_length: int,
) -> list[SchemaItem]:
    """``team_id``, ``owner_email`` and ``visibility`` (one of ``visibility``, guarded by a
    CHECK, ``default`` on the server) with their named foreign keys."""
    return [
        sa.Column("team_id", sa.String(length=id_length), nullable=True),
        sa.Column("owner_email", sa.String(length=email_length), nullable=True),
        sa.Column(
            "visibility",
            sa.Enum(*visibility, name="visibility", native_enum=False, create_constraint=True),
            server_default=default,
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["owner_email"],
            ["email_users.email"],
            name=f"fk_{table}_owner_email_email_users",
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["team_id"],
            ["email_teams.id"],
            name=f"fk_{table}_team_id_email_teams",
            ondelete="SET NULL",
        ),
    ]


def create_ownership_indexes(table: str) -> None:
    """The indexes the ownership columns carry in the models."""
    for column in ("owner_email", "team_id"):
        create_index_if_missing(f"ix_{table}_{column}", table, [column])


def _inspector() -> sa.Inspector | None:
    if op.get_context().as_sql:  # offline: there is no database to look at
        return None
    return sa.inspect(op.get_bind())


def table_exists(table: str) -> bool | None:
    """Whether ``table`` exists; None in offline mode, where nothing can be looked at."""
    inspector = _inspector()
    return None if inspector is None else inspector.has_table(table)


def _index_exists(table: str, name: str) -> bool | None:
    inspector = _inspector()
    if inspector is None:
        return None
    return inspector.has_table(table) and any(
        index["name"] == name for index in inspector.get_indexes(table)
    )


def _column_exists(table: str, column: str) -> bool | None:
    inspector = _inspector()
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


BACKFILL_BATCH_SIZE = 1000


def backfill(
    table: sa.TableClause,
    values: Mapping[str, object],
    *,
    where: sa.ColumnElement[bool],
    key: str = "id",
    batch_size: int = BACKFILL_BATCH_SIZE,
) -> int:
    """Set ``values`` on the rows matching ``where``, ``batch_size`` rows per UPDATE.

    Rows are taken in ``key`` order, each batch after the last key seen, so the loop ends even
    if ``values`` leave a row matching ``where``. No statement touches the whole table at once.
    Offline (``--sql``) there are no keys to page through: one UPDATE is emitted. Returns the
    number of rows updated online, 0 offline.
    """
    statement = sa.update(table).values(dict(values))
    if op.get_context().as_sql:
        op.execute(statement.where(where))
        return 0
    bind = op.get_bind()
    column = table.c[key]
    updated, last = 0, None
    while True:
        batch = sa.select(column).where(where).order_by(column).limit(batch_size)
        if last is not None:
            batch = batch.where(column > last)
        keys = bind.execute(batch).scalars().all()
        if not keys:
            return updated
        bind.execute(statement.where(column.in_(keys)))
        updated, last = updated + len(keys), keys[-1]


# The safe forms ``make db-lint`` points to. Each does what is least blocking on each backend.


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
    inspector = _inspector()
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
