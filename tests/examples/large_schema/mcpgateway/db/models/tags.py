"""Tags: free labels on tools, resources, prompts, servers and gateways, for search and
filtering."""

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from mcpgateway.db.base import Base, TimestampMixin, UUIDPrimaryKey
from mcpgateway.db.models.columns import user_ref


class Tag(UUIDPrimaryKey, TimestampMixin, Base):
    """One label; the slug is what links and filters use."""

    __tablename__ = "tags"
    __table_args__ = (sa.CheckConstraint("name <> '' AND slug <> ''", name="not_blank"),)

    name: Mapped[str] = mapped_column(sa.String(64))
    slug: Mapped[str] = mapped_column(sa.String(64), unique=True)
    description: Mapped[str | None] = mapped_column(sa.Text)
    color: Mapped[str | None] = mapped_column(sa.String(7))
    created_by: Mapped[str | None] = user_ref("SET NULL")
