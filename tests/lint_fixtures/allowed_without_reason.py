"""an allow with no reason"""

from alembic import op

revision = "11a700000024"
down_revision = "944f8b89e0f2"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """an allow with no reason"""
    op.drop_table("resource_subscriptions")  # lint: allow drop-table


def downgrade() -> None:
    """Undo it."""
    op.execute("SELECT 1")
