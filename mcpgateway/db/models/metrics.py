"""Per-call metrics for tools, resources, prompts and servers; high volume, so integer keys."""

from datetime import datetime

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
