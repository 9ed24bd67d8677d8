"""Account life cycle around ``email_users``: sign-ups waiting for an admin, password resets,
email verification, and the authentication event log."""

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from mcpgateway.db.base import Base, TimestampMixin, UUIDPrimaryKey, string_enum, utcnow
from mcpgateway.db.models.columns import EMAIL_LENGTH, user_ref
from mcpgateway.db.models.enums import RequestStatus
from mcpgateway.db.models.metrics import MetricId

IP_LENGTH = 45  # the longest textual IPv6 address (with an embedded IPv4 tail)


class PendingUserApproval(UUIDPrimaryKey, TimestampMixin, Base):
    """Someone who signed in through SSO and waits for an admin before an account exists."""

    __tablename__ = "pending_user_approvals"

    email: Mapped[str] = mapped_column(sa.String(EMAIL_LENGTH), unique=True)
    full_name: Mapped[str | None] = mapped_column(sa.String(255))
    auth_provider: Mapped[str] = mapped_column(sa.String(32))
    sso_metadata: Mapped[dict[str, Any]] = mapped_column(default=dict)
    status: Mapped[RequestStatus] = mapped_column(
        string_enum(RequestStatus, "status"),
        default=RequestStatus.PENDING,
        server_default=RequestStatus.PENDING.value,
    )
    requested_at: Mapped[datetime] = mapped_column(default=utcnow, server_default=sa.func.now())
    reviewed_by: Mapped[str | None] = user_ref("SET NULL")
    reviewed_at: Mapped[datetime | None]
    rejection_reason: Mapped[str | None] = mapped_column(sa.Text)
    expires_at: Mapped[datetime | None]


class PasswordResetToken(UUIDPrimaryKey, Base):
    """A single-use password reset link; only its hash is kept."""

    __tablename__ = "password_reset_tokens"

    user_email: Mapped[str] = user_ref("CASCADE")
    token_hash: Mapped[str] = mapped_column(sa.String(128), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, server_default=sa.func.now())
    expires_at: Mapped[datetime] = mapped_column(index=True)
    used_at: Mapped[datetime | None]
    ip_address: Mapped[str | None] = mapped_column(sa.String(IP_LENGTH))
    user_agent: Mapped[str | None] = mapped_column(sa.String(512))


class EmailVerificationToken(UUIDPrimaryKey, Base):
    """A link proving the user owns the address, sent on sign-up or on an address change."""

    __tablename__ = "email_verification_tokens"
    __table_args__ = (sa.UniqueConstraint("user_email", "purpose"),)

    user_email: Mapped[str] = user_ref("CASCADE")
    purpose: Mapped[str] = mapped_column(sa.String(32), default="signup")
    token_hash: Mapped[str] = mapped_column(sa.String(128), unique=True)
    new_email: Mapped[str | None] = mapped_column(sa.String(EMAIL_LENGTH))
    created_at: Mapped[datetime] = mapped_column(default=utcnow, server_default=sa.func.now())
    expires_at: Mapped[datetime]
    verified_at: Mapped[datetime | None]
    attempts: Mapped[int] = mapped_column(default=0, server_default="0")


class EmailAuthEvent(Base):
    """One sign-in attempt, logout, lockout or password change; kept after the user goes."""

    __tablename__ = "email_auth_events"

    id: Mapped[int] = mapped_column(MetricId, primary_key=True, autoincrement=True)
    occurred_at: Mapped[datetime] = mapped_column(
        default=utcnow, server_default=sa.func.now(), index=True
    )
    user_email: Mapped[str | None] = user_ref("SET NULL")
    attempted_email: Mapped[str | None] = mapped_column(sa.String(EMAIL_LENGTH))
    event_type: Mapped[str] = mapped_column(sa.String(64), index=True)
    success: Mapped[bool]
    ip_address: Mapped[str | None] = mapped_column(sa.String(IP_LENGTH))
    user_agent: Mapped[str | None] = mapped_column(sa.String(512))
    failure_reason: Mapped[str | None] = mapped_column(sa.String(255))
    details: Mapped[dict[str, Any] | None] = mapped_column(sa.JSON)
