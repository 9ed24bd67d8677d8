"""Outgoing webhooks: endpoints registered for gateway events, and each delivery attempt."""

import uuid
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from mcpgateway.db.base import Base, TimestampMixin, UUIDPrimaryKey, utcnow
from mcpgateway.db.models.columns import uuid_ref
from mcpgateway.db.models.enums import DeliveryStatus
from mcpgateway.db.models.metrics import MetricId
from mcpgateway.db.models.ownership import OwnershipMixin
from mcpgateway.db.models.types import EncryptedText, native_enum


class RegisteredWebhook(UUIDPrimaryKey, TimestampMixin, OwnershipMixin, Base):
    """An HTTPS endpoint notified of the events it subscribed to, signed with its secret."""

    __tablename__ = "registered_webhooks"
    __table_args__ = (
        sa.CheckConstraint("max_retries >= 0 AND timeout_seconds > 0", name="sane_retry_settings"),
    )

    name: Mapped[str] = mapped_column(sa.String(191))
    url: Mapped[str] = mapped_column(sa.String(767))
    signing_secret: Mapped[str] = mapped_column(EncryptedText)
    event_types: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    headers: Mapped[dict[str, Any]] = mapped_column(default=dict)
    is_active: Mapped[bool] = mapped_column(default=True, server_default=sa.true())
    max_retries: Mapped[int] = mapped_column(default=5, server_default="5")
    timeout_seconds: Mapped[int] = mapped_column(default=10, server_default="10")
    consecutive_failures: Mapped[int] = mapped_column(default=0, server_default="0")
    last_success_at: Mapped[datetime | None]
    disabled_reason: Mapped[str | None] = mapped_column(sa.String(255))


class WebhookDelivery(Base):
    """One event sent (or still to send) to one webhook, with the last attempt's answer."""

    __tablename__ = "webhook_deliveries"
    __table_args__ = (
        # The retry worker scans only undelivered rows: partial on PostgreSQL and SQLite.
        sa.Index(
            "ix_webhook_deliveries_due",
            "next_attempt_at",
            postgresql_where=sa.text("delivered_at IS NULL"),
            sqlite_where=sa.text("delivered_at IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(MetricId, primary_key=True, autoincrement=True)
    # Sent to the receiver for idempotency; a native UUID column.
    delivery_id: Mapped[uuid.UUID] = mapped_column(sa.Uuid, unique=True, default=uuid.uuid4)
    webhook_id: Mapped[str] = uuid_ref("registered_webhooks", "CASCADE")
    event_type: Mapped[str] = mapped_column(sa.String(64), index=True)
    payload: Mapped[dict[str, Any]] = mapped_column(default=dict)
    status: Mapped[DeliveryStatus] = mapped_column(
        native_enum(DeliveryStatus, "webhook_delivery_status"),
        default=DeliveryStatus.PENDING,
        server_default=DeliveryStatus.PENDING.value,
    )
    attempt_count: Mapped[int] = mapped_column(default=0, server_default="0")
    response_status: Mapped[int | None]
    response_body: Mapped[str | None] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, server_default=sa.func.now())
    next_attempt_at: Mapped[datetime | None]
    delivered_at: Mapped[datetime | None]
