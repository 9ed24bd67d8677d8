"""change a column's type"""

import sqlalchemy as sa
from alembic import op

revision = "11a700000004"
down_revision = "944f8b89e0f2"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """change a column's type"""
    with op.batch_alter_table("tools") as batch:
        batch.alter_column("description", existing_type=sa.Text(), type_=sa.String(100))


def downgrade() -> None:
    """Undo it."""
    op.execute("SELECT 1")
