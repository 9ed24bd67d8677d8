"""CONCURRENTLY inside the revision's transaction"""

from alembic import op

revision = "11a700000009"
down_revision = "944f8b89e0f2"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """CONCURRENTLY inside the revision's transaction"""
    op.create_index("ix_tools_url", "tools", ["url"], postgresql_concurrently=True)


def downgrade() -> None:
    """Undo it."""
    op.execute("SELECT 1")
