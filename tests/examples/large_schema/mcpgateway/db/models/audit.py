"""The audit trail of administrative actions, and security events raised by the gateway.
Both keep their rows when the people or teams they mention are deleted."""

import uuid
from datetime import datetime
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from mcpgateway.db.base import Base, string_enum, utcnow
from mcpgateway.db.models.accounts import IP_LENGTH
from mcpgateway.db.models.columns import user_ref, uuid_ref
from mcpgateway.db.models.enums import AuditOutcome
from mcpgateway.db.models.metrics import MetricId


class AuditTrail(Base):
    """One create, update, delete or sign-in, with what changed; rows are never updated.

    ``occurred_at`` has a server default: log shippers and database triggers insert here too.
    """

    __tablename__ = "audit_trails"
    __table_args__ = (sa.Index("ix_audit_trails_resource", "resource_type", "resource_id"),)

    id: Mapped[int] = mapped_column(MetricId, primary_key=True, autoincrement=True)
    occurred_at: Mapped[datetime] = mapped_column(
        default=utcnow, server_default=sa.func.now(), index=True
    )
    actor_email: Mapped[str | None] = user_ref("SET NULL")
    actor_ip: Mapped[str | None] = mapped_column(sa.String(IP_LENGTH))
    action: Mapped[str] = mapped_column(sa.String(64), index=True)
    resource_type: Mapped[str] = mapped_column(sa.String(64))
    resource_id: Mapped[str | None] = mapped_column(sa.String(191))
    resource_name: Mapped[str | None] = mapped_column(sa.String(255))
    team_id: Mapped[str | None] = uuid_ref("email_teams", "SET NULL")
    outcome: Mapped[AuditOutcome] = mapped_column(
        string_enum(AuditOutcome, "outcome"),
        default=AuditOutcome.SUCCESS,
        server_default=AuditOutcome.SUCCESS.value,
    )
    correlation_id: Mapped[uuid.UUID | None] = mapped_column(sa.Uuid, index=True)
    changes: Mapped[dict[str, Any] | None] = mapped_column(sa.JSON)
    context: Mapped[dict[str, Any] | None] = mapped_column(sa.JSON)


class SecurityEvent(Base):
    """Something suspicious: a burst of failed logins, a token used from a new country."""

    __tablename__ = "security_events"
    __table_args__ = (
        sa.CheckConstraint("threat_score >= 0 AND threat_score <= 100", name="threat_score_range"),
        # The dashboard lists open events only: partial on PostgreSQL and SQLite.
        sa.Index(
            "ix_security_events_unresolved",
            "detected_at",
            postgresql_where=sa.text("resolved_at IS NULL"),
            sqlite_where=sa.text("resolved_at IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(MetricId, primary_key=True, autoincrement=True)
    detected_at: Mapped[datetime] = mapped_column(default=utcnow, server_default=sa.func.now())
    event_type: Mapped[str] = mapped_column(sa.String(64), index=True)
    severity: Mapped[str] = mapped_column(sa.String(16), default="medium")
    user_email: Mapped[str | None] = user_ref("SET NULL")
    client_ip: Mapped[str | None] = mapped_column(sa.String(IP_LENGTH), index=True)
    description: Mapped[str] = mapped_column(sa.Text)
    threat_score: Mapped[Decimal] = mapped_column(sa.Numeric(5, 2), default=Decimal("0"))
    action_taken: Mapped[str | None] = mapped_column(sa.String(64))
    resolved_at: Mapped[datetime | None]
    resolved_by: Mapped[str | None] = user_ref("SET NULL")
    context: Mapped[dict[str, Any] | None] = mapped_column(sa.JSON)
