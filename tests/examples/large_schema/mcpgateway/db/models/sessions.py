"""MCP client sessions held by the gateway (so any worker can resume one), and the messages
queued on them."""

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from mcpgateway.db.base import Base, UUIDPrimaryKey, string_enum, utcnow
from mcpgateway.db.models.columns import user_ref, uuid_ref
from mcpgateway.db.models.enums import Transport
from mcpgateway.db.models.metrics import MetricId


class McpSession(UUIDPrimaryKey, Base):
    """One client connection to a virtual server (or to the gateway as a whole)."""

    __tablename__ = "mcp_sessions"

    server_id: Mapped[str | None] = uuid_ref("servers", "CASCADE")
    user_email: Mapped[str | None] = user_ref("SET NULL")
    transport: Mapped[Transport] = mapped_column(
        string_enum(Transport, "transport"), default=Transport.STREAMABLE_HTTP
    )
    protocol_version: Mapped[str | None] = mapped_column(sa.String(32))
    client_info: Mapped[dict[str, Any]] = mapped_column(default=dict)
    capabilities: Mapped[dict[str, Any]] = mapped_column(default=dict)
    worker_id: Mapped[str | None] = mapped_column(sa.String(64), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, server_default=sa.func.now())
    last_activity_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    closed_at: Mapped[datetime | None]


class McpMessage(Base):
    """A JSON-RPC message waiting for (or sent on) a session's stream, replayable on resume."""

    __tablename__ = "mcp_messages"
    __table_args__ = (sa.UniqueConstraint("session_id", "sequence_no"),)

    id: Mapped[int] = mapped_column(MetricId, primary_key=True, autoincrement=True)
    session_id: Mapped[str] = uuid_ref("mcp_sessions", "CASCADE")
    sequence_no: Mapped[int]
    direction: Mapped[str] = mapped_column(sa.String(8))
    method: Mapped[str | None] = mapped_column(sa.String(128))
    payload: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[datetime] = mapped_column(
        default=utcnow, server_default=sa.func.now(), index=True
    )
    delivered_at: Mapped[datetime | None]
