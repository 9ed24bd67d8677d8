"""a unique key added directly"""

from alembic import op

revision = "11a700000011"
down_revision = "944f8b89e0f2"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """a unique key added directly"""
    with op.batch_alter_table("tools") as batch:
        batch.create_unique_constraint("uq_tools_url", ["url"])


def downgrade() -> None:
    """Undo it."""
    op.execute("SELECT 1")
