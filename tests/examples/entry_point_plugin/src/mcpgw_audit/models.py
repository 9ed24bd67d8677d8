"""The audit plugin's one table; it references core teams and tools."""

from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from mcpgateway.db.base import UUID_LENGTH, Base, TimestampMixin, UUIDPrimaryKey


class AuditEvent(UUIDPrimaryKey, TimestampMixin, Base):
    """One action taken in a team, optionally on a tool."""

    __tablename__ = "audit_events"

    team_id: Mapped[str] = mapped_column(
        sa.String(UUID_LENGTH), sa.ForeignKey("email_teams.id", ondelete="CASCADE"), index=True
    )
    tool_id: Mapped[str | None] = mapped_column(
        sa.String(UUID_LENGTH), sa.ForeignKey("tools.id", ondelete="SET NULL"), index=True
    )
    action: Mapped[str] = mapped_column(sa.String(64))
    detail: Mapped[dict[str, Any]] = mapped_column(default=dict)
