"""create rate limit tables

Revision ID: 070ddfcc0950
Revises:
Create Date: 2026-11-22 05:28:58.909833+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from mcpgateway.migrate.helpers import drop_tables, timestamp_columns, uuid_primary_key

revision: str = "070ddfcc0950"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = ("rate_limit",)
depends_on: str | Sequence[str] | None = "944f8b89e0f2"

# The values this revision was written with; the models may change, this file does not.
UUID_LENGTH = 36

# This file was rewritten without changing a statement it runs (the helpers moved to
# mcpgateway.migrate and take their values from here); databases that ran the earlier form
# recorded this checksum. tests/test_revisions_stable.py compares the SQL of both forms.
previous_checksums: tuple[str, ...] = (
    "0e3147dd3fce1822072bd2b1b03f42d56700431ce826081d32b438c9fd997e26",
)

# What downgrade() discards for good, as "table" or "table.column"; () if nothing.
downgrade_loses: tuple[str, ...] = (
    "rate_limit_counters",
    "rate_limit_policies",
)


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "rate_limit_counters",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("tool_id", sa.String(length=36), nullable=False),
        sa.Column("subject", sa.String(length=255), nullable=False),
        sa.Column("window_start", sa.DateTime(timezone=True), nullable=False),
        sa.Column("calls", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["tool_id"],
            ["tools.id"],
            name=op.f("fk_rate_limit_counters_tool_id_tools"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rate_limit_counters")),
        sa.UniqueConstraint(
            "tool_id",
            "subject",
            "window_start",
            name=op.f("uq_rate_limit_counters_tool_id_subject_window_start"),
        ),
    )
    with op.batch_alter_table("rate_limit_counters", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_rate_limit_counters_tool_id"), ["tool_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_rate_limit_counters_window_start"), ["window_start"], unique=False
        )

    op.create_table(
        "rate_limit_policies",
        *uuid_primary_key("rate_limit_policies", length=UUID_LENGTH),
        sa.Column("tool_id", sa.String(length=36), nullable=False),
        sa.Column("team_id", sa.String(length=36), nullable=True),
        sa.Column("max_calls", sa.Integer(), nullable=False),
        sa.Column("window_seconds", sa.Integer(), nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        *timestamp_columns(),
        sa.CheckConstraint(
            "max_calls > 0 AND window_seconds > 0",
            name=op.f("ck_rate_limit_policies_positive_limits"),
        ),
        sa.ForeignKeyConstraint(
            ["team_id"],
            ["email_teams.id"],
            name=op.f("fk_rate_limit_policies_team_id_email_teams"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["tool_id"],
            ["tools.id"],
            name=op.f("fk_rate_limit_policies_tool_id_tools"),
            ondelete="CASCADE",
        ),
        sa.UniqueConstraint(
            "tool_id", "team_id", name=op.f("uq_rate_limit_policies_tool_id_team_id")
        ),
    )
    with op.batch_alter_table("rate_limit_policies", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_rate_limit_policies_created_at"), ["created_at"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_rate_limit_policies_team_id"), ["team_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_rate_limit_policies_tool_id"), ["tool_id"], unique=False
        )


def downgrade() -> None:
    """Revert this revision: drop the plugin's tables; the core's stay as they are."""
    drop_tables("rate_limit_policies", "rate_limit_counters")
