"""add a NOT NULL column without a default"""

import sqlalchemy as sa
from alembic import op

revision = "11a700000005"
down_revision = "944f8b89e0f2"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """add a NOT NULL column without a default"""
    with op.batch_alter_table("tools") as batch:
        batch.add_column(sa.Column("rank", sa.Integer(), nullable=False))


def downgrade() -> None:
    """Undo it."""
    op.execute("SELECT 1")
