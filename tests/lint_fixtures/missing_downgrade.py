"""no way back"""

import sqlalchemy as sa
from alembic import op

revision = "11a700000013"
down_revision = "944f8b89e0f2"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """no way back"""
    op.create_table("lint_notes", sa.Column("id", sa.Integer(), primary_key=True))


def downgrade() -> None:
    """Undo it."""
    pass
