"""NOT NULL with a constant default"""

import sqlalchemy as sa
from alembic import op

revision = "11a700000022"
down_revision = "944f8b89e0f2"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """NOT NULL with a constant default"""
    with op.batch_alter_table("tools") as batch:
        batch.add_column(sa.Column("rank", sa.Integer(), nullable=False, server_default="0"))


def downgrade() -> None:
    """Undo it."""
    op.execute("SELECT 1")
