"""drop an index the blocking way"""

from alembic import op

revision = "11a700000008"
down_revision = "944f8b89e0f2"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """drop an index the blocking way"""
    op.drop_index("ix_tools_name", table_name="tools")


def downgrade() -> None:
    """Undo it."""
    op.execute("SELECT 1")
