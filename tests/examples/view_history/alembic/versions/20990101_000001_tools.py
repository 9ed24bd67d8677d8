"""tools

Revision ID: 7e0000000001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "7e0000000001"
down_revision = None
branch_labels = ("core",)
depends_on = None
downgrade_loses = ("tools",)


def upgrade() -> None:
    """Create tools."""
    op.create_table(
        "tools",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_tools"),
    )


def downgrade() -> None:
    """Drop tools."""
    op.drop_table("tools")
