"""a CHECK checked at once"""

from alembic import op

revision = "11a700000010"
down_revision = "944f8b89e0f2"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """a CHECK checked at once"""
    with op.batch_alter_table("tools") as batch:
        batch.create_check_constraint("ck_tools_name", "length(name) > 0")


def downgrade() -> None:
    """Undo it."""
    op.execute("SELECT 1")
