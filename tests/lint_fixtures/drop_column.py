"""drop a column that exists"""

from alembic import op

revision = "11a700000001"
down_revision = "944f8b89e0f2"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """drop a column that exists"""
    with op.batch_alter_table("tools") as batch:
        batch.drop_column("description")


def downgrade() -> None:
    """Undo it."""
    op.execute("SELECT 1")
