"""Runtime configuration kept in the database: plugin settings, feature flags with per-team
and per-user overrides, gateway-wide rate-limit policies, and global key/value settings."""

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from mcpgateway.db.base import Base, TimestampMixin, UUIDPrimaryKey, string_enum, utcnow
from mcpgateway.db.models.columns import user_ref, uuid_ref
from mcpgateway.db.models.enums import LimitScope
from mcpgateway.db.models.types import EncryptedText


class PluginSetting(UUIDPrimaryKey, TimestampMixin, Base):
    """One setting of one gateway plugin; secrets go in ``secret_value``, encrypted."""

    __tablename__ = "plugin_settings"
    __table_args__ = (sa.UniqueConstraint("plugin_name", "key"),)

    plugin_name: Mapped[str] = mapped_column(sa.String(128))
    key: Mapped[str] = mapped_column(sa.String(128))
    value: Mapped[dict[str, Any] | None] = mapped_column(sa.JSON)
    secret_value: Mapped[str | None] = mapped_column(EncryptedText)
    is_enabled: Mapped[bool] = mapped_column(default=True, server_default=sa.true())
    updated_by: Mapped[str | None] = user_ref("SET NULL")


class FeatureFlag(UUIDPrimaryKey, TimestampMixin, Base):
    """A switch for a feature, rolled out to a percentage of users; off until turned on."""

    __tablename__ = "feature_flags"
    __table_args__ = (
        sa.CheckConstraint(
            "rollout_percentage >= 0 AND rollout_percentage <= 100", name="rollout_percentage"
        ),
    )

    key: Mapped[str] = mapped_column(sa.String(128), unique=True)
    description: Mapped[str | None] = mapped_column(sa.Text)
    enabled: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    rollout_percentage: Mapped[int] = mapped_column(default=0, server_default="0")
    conditions: Mapped[dict[str, Any]] = mapped_column(default=dict)


class FeatureFlagOverride(UUIDPrimaryKey, Base):
    """A flag forced on or off for one team or one user; goes with the flag, team or user."""

    __tablename__ = "feature_flag_overrides"
    __table_args__ = (sa.UniqueConstraint("flag_id", "team_id", "user_email"),)

    flag_id: Mapped[str] = uuid_ref("feature_flags", "CASCADE")
    team_id: Mapped[str | None] = uuid_ref("email_teams", "CASCADE")
    user_email: Mapped[str | None] = user_ref("CASCADE")
    enabled: Mapped[bool]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class GatewayRateLimitPolicy(UUIDPrimaryKey, TimestampMixin, Base):
    """A request budget per minute for everyone, a team, a user or one virtual server.

    Not named ``rate_limit_*``: that prefix belongs to the in-tree ``rate_limit`` plugin
    (per-tool limits), whose tables must stay its own.
    """

    __tablename__ = "gateway_rate_limit_policies"
    __table_args__ = (
        sa.UniqueConstraint("scope", "team_id", "user_email", "server_id"),
        sa.CheckConstraint("requests_per_minute > 0 AND burst >= 0", name="positive_limits"),
    )

    name: Mapped[str] = mapped_column(sa.String(191))
    scope: Mapped[LimitScope] = mapped_column(
        string_enum(LimitScope, "scope"),
        default=LimitScope.GLOBAL,
        server_default=LimitScope.GLOBAL.value,
    )
    team_id: Mapped[str | None] = uuid_ref("email_teams", "CASCADE")
    user_email: Mapped[str | None] = user_ref("CASCADE")
    server_id: Mapped[str | None] = uuid_ref("servers", "CASCADE")
    requests_per_minute: Mapped[int]
    burst: Mapped[int] = mapped_column(default=0, server_default="0")
    enabled: Mapped[bool] = mapped_column(default=True, server_default=sa.true())


class GlobalSetting(Base):
    """A gateway-wide setting changed at runtime from the admin UI."""

    __tablename__ = "global_settings"

    key: Mapped[str] = mapped_column(sa.String(128), primary_key=True)
    value: Mapped[dict[str, Any] | None] = mapped_column(sa.JSON)
    description: Mapped[str | None] = mapped_column(sa.Text)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    updated_by: Mapped[str | None] = user_ref("SET NULL")
