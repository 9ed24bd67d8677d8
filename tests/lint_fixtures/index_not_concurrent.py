"""create an index the blocking way"""

from alembic import op

revision = "11a700000007"
down_revision = "944f8b89e0f2"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """create an index the blocking way"""
    op.create_index("ix_tools_url", "tools", ["url"])


def downgrade() -> None:
    """Undo it."""
    op.execute("SELECT 1")
