"""active_tools: a view, made by hand

Revision ID: 7e0000000002
Revises: 7e0000000001
"""

from alembic import op

revision = "7e0000000002"
down_revision = "7e0000000001"
branch_labels = None
depends_on = None
downgrade_loses = ()


def upgrade() -> None:
    """Create the view."""
    op.execute("CREATE VIEW active_tools AS SELECT id, name FROM tools")


def downgrade() -> None:
    """Drop the view."""
    op.execute("DROP VIEW active_tools")
