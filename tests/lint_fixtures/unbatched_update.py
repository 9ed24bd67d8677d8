"""one UPDATE over the whole table"""

from alembic import op

revision = "11a700000014"
down_revision = "944f8b89e0f2"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """one UPDATE over the whole table"""
    op.execute("UPDATE tools SET reachable = true")


def downgrade() -> None:
    """Undo it."""
    op.execute("SELECT 1")
