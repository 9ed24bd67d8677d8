"""Per-call metrics for tools, resources, prompts, servers and A2A agents, and their hourly
roll-up; high volume, so integer keys."""

from datetime import datetime
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from mcpgateway.db.base import UUID_LENGTH, Base, utcnow

# BIGINT everywhere but SQLite, where only INTEGER PRIMARY KEY auto-increments.
MetricId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


class MetricMixin:
    """One call: when, how long, and whether it succeeded."""

    id: Mapped[int] = mapped_column(MetricId, primary_key=True, autoincrement=True, sort_order=-100)
    timestamp: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    response_time: Mapped[float] = mapped_column(sa.Float)
    is_success: Mapped[bool]
    error_message: Mapped[str | None] = mapped_column(sa.Text)


def _parent(table: str) -> Mapped[str]:
    return mapped_column(
        sa.String(UUID_LENGTH), sa.ForeignKey(f"{table}.id", ondelete="CASCADE"), index=True
    )


class ToolMetric(MetricMixin, Base):
    """One tool invocation."""

    __tablename__ = "tool_metrics"
    tool_id: Mapped[str] = _parent("tools")


class ResourceMetric(MetricMixin, Base):
    """One resource read."""

    __tablename__ = "resource_metrics"
    resource_id: Mapped[str] = _parent("resources")


class PromptMetric(MetricMixin, Base):
    """One prompt rendering."""

    __tablename__ = "prompt_metrics"
    prompt_id: Mapped[str] = _parent("prompts")


class ServerMetric(MetricMixin, Base):
    """One request served by a virtual server."""

    __tablename__ = "server_metrics"
    server_id: Mapped[str] = _parent("servers")


class A2AAgentMetric(MetricMixin, Base):
    """One interaction with an A2A agent."""

    __tablename__ = "a2a_agent_metrics"
    a2a_agent_id: Mapped[str] = _parent("a2a_agents")
    interaction_type: Mapped[str] = mapped_column(sa.String(32), default="invoke")


class MetricsHourlyRollup(Base):
    """Calls to one entity in one hour, summarised; the raw rows above can then be pruned.

    ``entity_id`` is deliberately not a foreign key: the summary outlives the entity.
    """

    __tablename__ = "metrics_hourly_rollups"
    __table_args__ = (
        sa.UniqueConstraint("entity_type", "entity_id", "hour_start"),
        sa.CheckConstraint("failure_count <= call_count", name="failures_within_calls"),
    )

    id: Mapped[int] = mapped_column(MetricId, primary_key=True, autoincrement=True)
    entity_type: Mapped[str] = mapped_column(sa.String(16))
    entity_id: Mapped[str] = mapped_column(sa.String(UUID_LENGTH), index=True)
    hour_start: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), index=True)
    call_count: Mapped[int] = mapped_column(default=0, server_default="0")
    failure_count: Mapped[int] = mapped_column(default=0, server_default="0")
    avg_response_time: Mapped[Decimal | None] = mapped_column(sa.Numeric(12, 4))
    p95_response_time: Mapped[Decimal | None] = mapped_column(sa.Numeric(12, 4))
    max_response_time: Mapped[Decimal | None] = mapped_column(sa.Numeric(12, 4))
