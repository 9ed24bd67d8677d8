"""a column of a type the revision never imported (autogenerate's custom type, unrendered)"""

import sqlalchemy as sa
from alembic import op

revision = "11a700000022"
down_revision = "944f8b89e0f2"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """a column of a type the revision never imported"""
    op.add_column("tools", sa.Column("secret", models.EncryptedText(), nullable=True))  # type: ignore[name-defined]  # noqa: F821


def downgrade() -> None:
    """Undo it."""
    op.drop_column("tools", "secret")
