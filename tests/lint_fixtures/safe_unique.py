"""a unique key the safe way"""

from alembic import op

from mcpgateway.migrate.helpers import add_unique_constraint_concurrently

revision = "11a700000018"
down_revision = "944f8b89e0f2"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """a unique key the safe way"""
    add_unique_constraint_concurrently("uq_tools_url", "tools", ["url"])


def downgrade() -> None:
    """Undo it."""
    op.execute("SELECT 1")
