"""a String without a length, which MariaDB/MySQL cannot create"""

import sqlalchemy as sa
from alembic import op

revision = "11a700000021"
down_revision = "944f8b89e0f2"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """a String without a length"""
    op.add_column("tools", sa.Column("notes", sa.String(), nullable=True))


def downgrade() -> None:
    """Undo it."""
    op.drop_column("tools", "notes")
