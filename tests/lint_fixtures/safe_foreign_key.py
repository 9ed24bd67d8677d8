"""a foreign key the safe way"""

from alembic import op

from mcpgateway.migrate.helpers import add_foreign_key_not_valid, validate_constraint

revision = "11a700000019"
down_revision = "944f8b89e0f2"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """a foreign key the safe way"""
    add_foreign_key_not_valid("fk_tools_url_servers", "tools", "servers", ["url"], ["id"])
    validate_constraint("fk_tools_url_servers", "tools")


def downgrade() -> None:
    """Undo it."""
    op.execute("SELECT 1")
