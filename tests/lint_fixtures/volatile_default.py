"""a volatile server default"""

import sqlalchemy as sa
from alembic import op

revision = "11a700000012"
down_revision = "944f8b89e0f2"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """a volatile server default"""
    with op.batch_alter_table("tools") as batch:
        batch.add_column(
            sa.Column("token", sa.String(36), server_default=sa.text("gen_random_uuid()"))
        )


def downgrade() -> None:
    """Undo it."""
    op.execute("SELECT 1")
