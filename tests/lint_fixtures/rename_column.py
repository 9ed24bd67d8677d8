"""rename a column"""

import sqlalchemy as sa
from alembic import op

revision = "11a700000002"
down_revision = "944f8b89e0f2"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """rename a column"""
    with op.batch_alter_table("tools") as batch:
        batch.alter_column("description", new_column_name="summary", existing_type=sa.Text())


def downgrade() -> None:
    """Undo it."""
    op.execute("SELECT 1")
