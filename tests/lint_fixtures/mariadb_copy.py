"""a foreign key MariaDB adds by copying"""

from alembic import op

revision = "11a700000015"
down_revision = "944f8b89e0f2"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """a foreign key MariaDB adds by copying"""
    with op.batch_alter_table("tools") as batch:
        batch.create_foreign_key(
            "fk_tools_url_servers", "servers", ["url"], ["id"], postgresql_not_valid=True
        )


def downgrade() -> None:
    """Undo it."""
    op.execute("SELECT 1")
