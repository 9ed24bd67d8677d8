"""a CHECK the safe way"""

from alembic import op

from mcpgateway.migrate.helpers import add_check_not_valid, validate_constraint

revision = "11a700000020"
down_revision = "944f8b89e0f2"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """a CHECK the safe way"""
    add_check_not_valid("ck_tools_name", "tools", "length(name) > 0")
    validate_constraint("ck_tools_name", "tools")


def downgrade() -> None:
    """Undo it."""
    op.execute("SELECT 1")
