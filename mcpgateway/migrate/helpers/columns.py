"""The standard columns, built from the values the revision writes down (never read from the
models, which may change after the revision has run)."""

from collections.abc import Sequence

import sqlalchemy as sa
from sqlalchemy.sql.schema import SchemaItem

from mcpgateway.migrate.helpers.idempotent import create_index_if_missing


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
