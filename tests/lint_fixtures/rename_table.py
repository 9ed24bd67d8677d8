"""rename a table"""

from alembic import op

revision = "11a700000003"
down_revision = "944f8b89e0f2"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """rename a table"""
    op.rename_table("prompts", "prompt_templates")


def downgrade() -> None:
    """Undo it."""
    op.rename_table("prompt_templates", "prompts")
