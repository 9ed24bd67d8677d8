"""Federated peer gateways whose tools, resources and prompts this gateway re-exposes, and
the health checks run against them."""

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from mcpgateway.db.base import Base, TimestampMixin, UUIDPrimaryKey, string_enum, utcnow
from mcpgateway.db.models.columns import uuid_ref
from mcpgateway.db.models.enums import HealthState, Transport
from mcpgateway.db.models.metrics import MetricId
from mcpgateway.db.models.ownership import OwnershipMixin
from mcpgateway.db.models.types import EncryptedText


class Gateway(UUIDPrimaryKey, TimestampMixin, OwnershipMixin, Base):
    """A peer MCP gateway or server this gateway federates."""

    __tablename__ = "gateways"

    name: Mapped[str] = mapped_column(sa.String(191), index=True)
    slug: Mapped[str] = mapped_column(sa.String(191), unique=True)
    url: Mapped[str] = mapped_column(sa.String(767))
    description: Mapped[str | None] = mapped_column(sa.Text)
    transport: Mapped[Transport] = mapped_column(
        string_enum(Transport, "transport"), default=Transport.SSE
    )
    capabilities: Mapped[dict[str, Any]] = mapped_column(default=dict)
    auth_type: Mapped[str | None] = mapped_column(sa.String(32))
    auth_value: Mapped[str | None] = mapped_column(EncryptedText)
    oauth_config: Mapped[dict[str, Any] | None] = mapped_column(sa.JSON)
    passthrough_headers: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    ca_certificate: Mapped[str | None] = mapped_column(sa.Text)
    enabled: Mapped[bool] = mapped_column(default=True, server_default=sa.true())
    reachable: Mapped[bool] = mapped_column(default=True, server_default=sa.true())
    last_seen: Mapped[datetime | None]


class GatewayHealthCheck(Base):
    """One probe of a peer gateway: how it answered and how fast."""

    __tablename__ = "gateway_health_checks"

    id: Mapped[int] = mapped_column(MetricId, primary_key=True, autoincrement=True)
    gateway_id: Mapped[str] = uuid_ref("gateways", "CASCADE")
    checked_at: Mapped[datetime] = mapped_column(
        default=utcnow, server_default=sa.func.now(), index=True
    )
    state: Mapped[HealthState] = mapped_column(string_enum(HealthState, "state"))
    latency_ms: Mapped[float | None]
    http_status: Mapped[int | None]
    error: Mapped[str | None] = mapped_column(sa.Text)
