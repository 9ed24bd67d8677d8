"""a nullable column, backfilled in batches"""

import sqlalchemy as sa
from alembic import op

from mcpgateway.migrate.helpers import backfill

revision = "11a700000021"
down_revision = "944f8b89e0f2"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """a nullable column, backfilled in batches"""
    with op.batch_alter_table("tools") as batch:
        batch.add_column(sa.Column("rank", sa.Integer(), nullable=True))
    tools = sa.table("tools", sa.column("id", sa.String), sa.column("rank", sa.Integer))
    backfill(tools, {"rank": 0}, where=tools.c.rank.is_(None))


def downgrade() -> None:
    """Undo it."""
    op.execute("SELECT 1")
