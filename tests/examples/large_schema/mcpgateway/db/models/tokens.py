"""API tokens users create for scripts and clients, their usage log, and the revocation list."""

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from mcpgateway.db.base import Base, TimestampMixin, UUIDPrimaryKey, utcnow
from mcpgateway.db.models.accounts import IP_LENGTH
from mcpgateway.db.models.columns import user_ref, uuid_ref
from mcpgateway.db.models.metrics import MetricId


class EmailApiToken(UUIDPrimaryKey, TimestampMixin, Base):
    """A named bearer token (a JWT identified by ``jti``), optionally scoped to a team or to
    one virtual server, with IP and permission restrictions."""

    __tablename__ = "email_api_tokens"
    __table_args__ = (
        sa.UniqueConstraint("user_email", "name"),
        # The expiry sweep only looks at live tokens: a partial index on PostgreSQL and
        # SQLite, an ordinary one on MariaDB.
        sa.Index(
            "ix_email_api_tokens_unrevoked_expiry",
            "expires_at",
            postgresql_where=sa.text("revoked_at IS NULL"),
            sqlite_where=sa.text("revoked_at IS NULL"),
        ),
    )

    user_email: Mapped[str] = user_ref("CASCADE")
    team_id: Mapped[str | None] = uuid_ref("email_teams", "CASCADE")
    server_id: Mapped[str | None] = uuid_ref("servers", "SET NULL")
    name: Mapped[str] = mapped_column(sa.String(191))
    description: Mapped[str | None] = mapped_column(sa.Text)
    jti: Mapped[str] = mapped_column(sa.String(64), unique=True)
    token_hash: Mapped[str] = mapped_column(sa.String(128))
    resource_scopes: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    ip_restrictions: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    time_restrictions: Mapped[dict[str, Any]] = mapped_column(default=dict)
    usage_limits: Mapped[dict[str, Any]] = mapped_column(default=dict)
    expires_at: Mapped[datetime | None]
    last_used: Mapped[datetime | None]
    is_active: Mapped[bool] = mapped_column(default=True, server_default=sa.true())
    revoked_at: Mapped[datetime | None]
    revoked_by: Mapped[str | None] = user_ref("SET NULL")
    revocation_reason: Mapped[str | None] = mapped_column(sa.String(255))


class TokenUsageLog(Base):
    """One request made with an API token; high volume, so an integer key."""

    __tablename__ = "token_usage_logs"

    id: Mapped[int] = mapped_column(MetricId, primary_key=True, autoincrement=True)
    token_id: Mapped[str] = uuid_ref("email_api_tokens", "CASCADE")
    user_email: Mapped[str | None] = user_ref("SET NULL")
    used_at: Mapped[datetime] = mapped_column(
        default=utcnow, server_default=sa.func.now(), index=True
    )
    endpoint: Mapped[str | None] = mapped_column(sa.String(767))
    method: Mapped[str | None] = mapped_column(sa.String(10))
    ip_address: Mapped[str | None] = mapped_column(sa.String(IP_LENGTH))
    user_agent: Mapped[str | None] = mapped_column(sa.String(512))
    status_code: Mapped[int | None]
    response_time_ms: Mapped[int | None]
    blocked: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    block_reason: Mapped[str | None] = mapped_column(sa.String(255))


class TokenRevocation(Base):
    """A revoked token id, checked on every request until the token would have expired."""

    __tablename__ = "token_revocations"

    jti: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    revoked_at: Mapped[datetime] = mapped_column(default=utcnow, server_default=sa.func.now())
    revoked_by: Mapped[str | None] = user_ref("SET NULL")
    reason: Mapped[str | None] = mapped_column(sa.String(255))
    token_expires_at: Mapped[datetime | None] = mapped_column(index=True)
