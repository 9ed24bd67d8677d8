"""The rate_limit plugin's tables; both reference the core's ``tools`` and go with the tool."""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from mcpgateway.db.base import UUID_LENGTH, Base, TimestampMixin, UUIDPrimaryKey
from mcpgateway.db.models.metrics import MetricId


class RateLimitPolicy(UUIDPrimaryKey, TimestampMixin, Base):
    """At most ``max_calls`` calls of a tool per ``window_seconds``, for a team or everyone."""

    __tablename__ = "rate_limit_policies"
    __table_args__ = (
        sa.UniqueConstraint("tool_id", "team_id"),
        sa.CheckConstraint("max_calls > 0 AND window_seconds > 0", name="positive_limits"),
    )

    tool_id: Mapped[str] = mapped_column(
        sa.String(UUID_LENGTH), sa.ForeignKey("tools.id", ondelete="CASCADE"), index=True
    )
    team_id: Mapped[str | None] = mapped_column(
        sa.String(UUID_LENGTH), sa.ForeignKey("email_teams.id", ondelete="CASCADE"), index=True
    )
    max_calls: Mapped[int]
    window_seconds: Mapped[int]
    enabled: Mapped[bool] = mapped_column(default=True)


class RateLimitCounter(Base):
    """Calls one subject (a user or client) made to one tool in one fixed window."""

    __tablename__ = "rate_limit_counters"
    __table_args__ = (sa.UniqueConstraint("tool_id", "subject", "window_start"),)

    id: Mapped[int] = mapped_column(MetricId, primary_key=True, autoincrement=True)
    tool_id: Mapped[str] = mapped_column(
        sa.String(UUID_LENGTH), sa.ForeignKey("tools.id", ondelete="CASCADE"), index=True
    )
    subject: Mapped[str] = mapped_column(sa.String(255))
    window_start: Mapped[datetime] = mapped_column(index=True)
    calls: Mapped[int] = mapped_column(default=0)
