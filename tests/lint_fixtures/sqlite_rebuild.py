"""a server default: SQLite rebuilds"""

import sqlalchemy as sa
from alembic import op

revision = "11a700000016"
down_revision = "944f8b89e0f2"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """a server default: SQLite rebuilds"""
    with op.batch_alter_table("tools") as batch:
        batch.alter_column("request_type", existing_type=sa.String(16), server_default="POST")


def downgrade() -> None:
    """Undo it."""
    op.execute("SELECT 1")
