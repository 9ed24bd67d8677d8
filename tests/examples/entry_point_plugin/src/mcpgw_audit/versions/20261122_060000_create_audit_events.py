"""create audit events

Revision ID: a0d17e000001
Revises:
Create Date: 2026-11-22 06:00:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from mcpgateway.migrate.helpers import drop_tables, timestamp_columns, uuid_primary_key

revision: str = "a0d17e000001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = ("audit",)
depends_on: str | Sequence[str] | None = "944f8b89e0f2"

# The values this revision was written with; the models may change, this file does not.
UUID_LENGTH = 36

# This file was rewritten without changing a statement it runs (the helpers moved to
# mcpgateway.migrate and take their values from here); databases that ran the earlier form
# recorded this checksum. tests/test_revisions_stable.py compares the SQL of both forms.
previous_checksums: tuple[str, ...] = (
    "1bf5cc5abdb04dbea682eea43cb2b02ae2c9ede02c4bff9f1f6adc4a116d5e3a",
)

# What downgrade() discards for good, as "table" or "table.column"; () if nothing.
downgrade_loses: tuple[str, ...] = ("audit_events",)


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "audit_events",
        *uuid_primary_key("audit_events", length=UUID_LENGTH),
        sa.Column("team_id", sa.String(length=36), nullable=False),
        sa.Column("tool_id", sa.String(length=36), nullable=True),
        sa.Column("action", sa.String(length=64), nullable=False),
        sa.Column("detail", sa.JSON(), nullable=False),
        *timestamp_columns(),
        sa.ForeignKeyConstraint(
            ["team_id"],
            ["email_teams.id"],
            name="fk_audit_events_team_id_email_teams",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["tool_id"], ["tools.id"], name="fk_audit_events_tool_id_tools", ondelete="SET NULL"
        ),
    )
    op.create_index("ix_audit_events_created_at", "audit_events", ["created_at"])
    op.create_index("ix_audit_events_team_id", "audit_events", ["team_id"])
    op.create_index("ix_audit_events_tool_id", "audit_events", ["tool_id"])


def downgrade() -> None:
    """Revert this revision: the plugin's table only."""
    drop_tables("audit_events")
