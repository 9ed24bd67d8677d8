"""a downgrade that drops a table's indexes before the table (autogenerate's order)"""

import sqlalchemy as sa
from alembic import op

revision = "11a700000023"
down_revision = "944f8b89e0f2"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """a new table with an indexed foreign key"""
    op.create_table(
        "notes",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("tool_id", sa.String(36), sa.ForeignKey("tools.id"), nullable=False),
    )
    op.create_index("ix_notes_tool_id", "notes", ["tool_id"])


def downgrade() -> None:
    """Drop the index, then the table: MariaDB refuses the first (the foreign key needs it)."""
    op.drop_index("ix_notes_tool_id", table_name="notes")
    op.drop_table("notes")
