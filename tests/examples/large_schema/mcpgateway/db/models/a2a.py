"""Agent-to-Agent (A2A) agents the gateway fronts, and the tasks sent to them."""

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from mcpgateway.db.base import Base, TimestampMixin, UUIDPrimaryKey, string_enum
from mcpgateway.db.models.columns import user_ref, uuid_ref
from mcpgateway.db.models.enums import AgentType
from mcpgateway.db.models.ownership import OwnershipMixin
from mcpgateway.db.models.types import EncryptedText


class A2AAgent(UUIDPrimaryKey, TimestampMixin, OwnershipMixin, Base):
    """An external agent reachable over the A2A protocol, also exposable as a tool."""

    __tablename__ = "a2a_agents"

    name: Mapped[str] = mapped_column(sa.String(191), index=True)
    slug: Mapped[str] = mapped_column(sa.String(191), unique=True)
    description: Mapped[str | None] = mapped_column(sa.Text)
    endpoint_url: Mapped[str] = mapped_column(sa.String(767))
    agent_type: Mapped[AgentType] = mapped_column(
        string_enum(AgentType, "agent_type"), default=AgentType.GENERIC
    )
    protocol_version: Mapped[str] = mapped_column(sa.String(16), default="1.0")
    capabilities: Mapped[dict[str, Any]] = mapped_column(default=dict)
    config: Mapped[dict[str, Any]] = mapped_column(default=dict)
    auth_type: Mapped[str | None] = mapped_column(sa.String(32))
    auth_value: Mapped[str | None] = mapped_column(EncryptedText)
    enabled: Mapped[bool] = mapped_column(default=True, server_default=sa.true())
    reachable: Mapped[bool] = mapped_column(default=True, server_default=sa.true())
    last_interaction: Mapped[datetime | None]


class A2AAgentTask(UUIDPrimaryKey, TimestampMixin, Base):
    """One task sent to an agent, identified by the agent's own task id."""

    __tablename__ = "a2a_agent_tasks"
    __table_args__ = (sa.UniqueConstraint("agent_id", "task_id"),)

    agent_id: Mapped[str] = uuid_ref("a2a_agents", "CASCADE")
    task_id: Mapped[str] = mapped_column(sa.String(191))
    context_id: Mapped[str | None] = mapped_column(sa.String(191), index=True)
    requested_by: Mapped[str | None] = user_ref("SET NULL")
    state: Mapped[str] = mapped_column(sa.String(32), default="submitted")
    request: Mapped[dict[str, Any]] = mapped_column(default=dict)
    result: Mapped[dict[str, Any] | None] = mapped_column(sa.JSON)
    started_at: Mapped[datetime | None]
    completed_at: Mapped[datetime | None]
