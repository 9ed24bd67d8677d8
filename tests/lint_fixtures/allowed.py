"""two findings, one allowed"""

from alembic import op

revision = "11a700000023"
down_revision = "944f8b89e0f2"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """two findings, one allowed"""
    with op.batch_alter_table("tools") as batch:
        # lint: allow drop-column -- column unused since 1.4
        batch.drop_column("description")
    op.drop_table("resource_subscriptions")


def downgrade() -> None:
    """Undo it."""
    op.execute("SELECT 1")
