"""indexes the safe way"""

from alembic import op

from mcpgateway.migrate.helpers import create_index_concurrently, drop_index_concurrently

revision = "11a700000017"
down_revision = "944f8b89e0f2"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """indexes the safe way"""
    create_index_concurrently("ix_tools_url", "tools", ["url"])
    drop_index_concurrently("ix_tools_name", "tools")


def downgrade() -> None:
    """Undo it."""
    op.execute("SELECT 1")
