"""drop a table that exists"""

from alembic import op

revision = "11a700000000"
down_revision = "944f8b89e0f2"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """drop a table that exists"""
    op.drop_table("resource_subscriptions")


def downgrade() -> None:
    """Undo it."""
    op.execute("SELECT 1")
