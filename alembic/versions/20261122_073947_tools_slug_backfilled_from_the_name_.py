"""tools: slug, backfilled from the name, unique per gateway

Revision ID: 66c37d7f92a7
Revises: 944f8b89e0f2
Create Date: 2026-11-22 07:39:47.969504+00:00

A data migration. The slug is the name with the separators `` _./:`` turned into hyphens,
lowered (``mcpgateway.db.models.catalog.tool_slug`` is the same rule for new rows). Two names of
one gateway that give the same slug ("Get Weather", "get_weather"): the smaller id keeps it,
the other gets ``-<id>`` appended. Local tools (no gateway) are deduplicated
as one group, although the unique key does not cover NULL gateways.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from mcpgateway.migrate.helpers import backfill

revision: str = "66c37d7f92a7"
down_revision: str | Sequence[str] | None = "944f8b89e0f2"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# This file was rewritten without changing a statement it runs (the helpers moved to
# mcpgateway.migrate and take their values from here); databases that ran the earlier form
# recorded this checksum. tests/test_revisions_stable.py compares the SQL of both forms.
previous_checksums: tuple[str, ...] = (
    "7758c2d9a72592bd03b96d198216f59c4eb67f1bc0daf833206d7c2185413fff",
)

# What the downgrade discards: slugs edited after this upgrade. A new upgrade recomputes them.
downgrade_loses: tuple[str, ...] = ("tools.slug",)

SLUG_LENGTH = 255
ID_LENGTH = 36

# The table as this revision knows it, not as the models describe it today.
tools = sa.table(
    "tools",
    sa.column("id", sa.String),
    sa.column("gateway_id", sa.String),
    sa.column("name", sa.String),
    sa.column("slug", sa.String),
)


def slug_of(name: sa.ColumnElement[str]) -> sa.ColumnElement[str]:
    """The name, separators turned into hyphens, lowered: in SQL all three backends run."""
    for separator in (" ", "_", ".", "/", ":"):
        name = sa.func.replace(name, separator, "-")
    return sa.func.lower(name)


def upgrade() -> None:
    """Add the column empty, fill it in batches, settle clashes, then constrain it."""
    with op.batch_alter_table("tools", schema=None) as batch_op:
        batch_op.add_column(sa.Column("slug", sa.String(length=SLUG_LENGTH), nullable=True))

    backfill(tools, {"slug": slug_of(tools.c.name)}, where=tools.c.slug.is_(None))

    older, newer = tools.alias("older"), tools.alias("newer")
    same_gateway = sa.or_(
        older.c.gateway_id == newer.c.gateway_id,
        sa.and_(older.c.gateway_id.is_(None), newer.c.gateway_id.is_(None)),
    )
    # A derived table, so MariaDB may update the table the subquery reads (error 1093).
    clashes = (
        sa.select(newer.c.id)
        .join(older, sa.and_(same_gateway, older.c.slug == newer.c.slug, older.c.id < newer.c.id))
        .subquery("clashes")
    )
    # lint: allow unbatched-update -- only the rows whose slug clashes within a gateway
    op.execute(
        sa.update(tools)
        .where(tools.c.id.in_(sa.select(clashes.c.id)))
        .values(
            slug=sa.func.substr(tools.c.slug, 1, SLUG_LENGTH - ID_LENGTH - 1) + "-" + tools.c.id
        )
    )

    # tools has a row per tool a gateway offers (hundreds, not millions): the scan and the
    # index build are short, and the column must be NOT NULL and unique in this one step.
    with op.batch_alter_table("tools", schema=None) as batch_op:
        # lint: allow set-not-null -- tools is small; the backfill above filled every row
        batch_op.alter_column("slug", existing_type=sa.String(length=SLUG_LENGTH), nullable=False)
        # lint: allow add-unique-constraint -- tools is small; clashes were settled above
        batch_op.create_unique_constraint(
            batch_op.f("uq_tools_gateway_id_slug"), ["gateway_id", "slug"]
        )


def downgrade() -> None:
    """Drop the unique key and the column; the names they came from stay."""
    with op.batch_alter_table("tools", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_tools_gateway_id_slug"), type_="unique")
        batch_op.drop_column("slug")
