"""Clients subscribed to change notifications for a resource."""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from mcpgateway.db.base import UUID_LENGTH, Base, utcnow
from mcpgateway.db.models.metrics import MetricId


class ResourceSubscription(Base):
    """One subscriber's interest in one resource."""

    __tablename__ = "resource_subscriptions"
    __table_args__ = (sa.UniqueConstraint("resource_id", "subscriber_id"),)

    id: Mapped[int] = mapped_column(MetricId, primary_key=True, autoincrement=True)
    resource_id: Mapped[str] = mapped_column(
        sa.String(UUID_LENGTH), sa.ForeignKey("resources.id", ondelete="CASCADE"), index=True
    )
    subscriber_id: Mapped[str] = mapped_column(sa.String(191))
    session_id: Mapped[str | None] = mapped_column(
        sa.String(UUID_LENGTH), sa.ForeignKey("mcp_sessions.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    last_notified_at: Mapped[datetime | None]
