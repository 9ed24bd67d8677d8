"""Federated peer gateways whose tools, resources and prompts this gateway re-exposes."""

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from mcpgateway.db.base import Base, TimestampMixin, UUIDPrimaryKey, string_enum
from mcpgateway.db.models.enums import Transport
from mcpgateway.db.models.ownership import OwnershipMixin


class Gateway(UUIDPrimaryKey, TimestampMixin, OwnershipMixin, Base):
    """A peer MCP gateway or server this gateway federates."""

    __tablename__ = "gateways"

    name: Mapped[str] = mapped_column(sa.String(255), index=True)
    slug: Mapped[str] = mapped_column(sa.String(255), unique=True)
    url: Mapped[str] = mapped_column(sa.String(767))
    description: Mapped[str | None] = mapped_column(sa.Text)
    transport: Mapped[Transport] = mapped_column(
        string_enum(Transport, "transport"), default=Transport.SSE
    )
    capabilities: Mapped[dict[str, Any]] = mapped_column(default=dict)
    auth_type: Mapped[str | None] = mapped_column(sa.String(32))
    enabled: Mapped[bool] = mapped_column(default=True)
    reachable: Mapped[bool] = mapped_column(default=True)
    last_seen: Mapped[datetime | None]
