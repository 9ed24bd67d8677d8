"""set NOT NULL on an existing column"""

import sqlalchemy as sa
from alembic import op

revision = "11a700000006"
down_revision = "944f8b89e0f2"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """set NOT NULL on an existing column"""
    with op.batch_alter_table("tools") as batch:
        batch.alter_column("description", existing_type=sa.Text(), nullable=False)


def downgrade() -> None:
    """Undo it."""
    op.execute("SELECT 1")
