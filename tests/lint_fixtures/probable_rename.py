"""drop a column and add another on the same table: autogenerate's way of writing a rename"""

import sqlalchemy as sa
from alembic import op

revision = "11a700000020"
down_revision = "944f8b89e0f2"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """drop a column and add another on the same table"""
    with op.batch_alter_table("tools") as batch:
        batch.add_column(sa.Column("summary", sa.Text(), nullable=True))
        batch.drop_column("description")


def downgrade() -> None:
    """Undo it."""
    op.execute("SELECT 1")
