"""Single sign-on: configured identity providers, sign-ins in progress, and the provider
accounts linked to each user."""

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from mcpgateway.db.base import Base, TimestampMixin, UUIDPrimaryKey, string_enum, utcnow
from mcpgateway.db.models.columns import user_ref, uuid_ref
from mcpgateway.db.models.enums import SsoProviderType
from mcpgateway.db.models.types import EncryptedText


class SsoProvider(UUIDPrimaryKey, TimestampMixin, Base):
    """An identity provider users may sign in with; its client secret is kept encrypted."""

    __tablename__ = "sso_providers"

    slug: Mapped[str] = mapped_column(sa.String(64), unique=True)
    display_name: Mapped[str] = mapped_column(sa.String(255))
    provider_type: Mapped[SsoProviderType] = mapped_column(
        string_enum(SsoProviderType, "provider_type")
    )
    client_id: Mapped[str] = mapped_column(sa.String(255))
    client_secret: Mapped[str] = mapped_column(EncryptedText)
    issuer: Mapped[str | None] = mapped_column(sa.String(767))
    authorization_url: Mapped[str] = mapped_column(sa.String(767))
    token_url: Mapped[str] = mapped_column(sa.String(767))
    userinfo_url: Mapped[str | None] = mapped_column(sa.String(767))
    jwks_uri: Mapped[str | None] = mapped_column(sa.String(767))
    scope: Mapped[str] = mapped_column(sa.String(255), default="openid profile email")
    trusted_domains: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    team_mapping: Mapped[dict[str, Any]] = mapped_column(default=dict)
    # Providers are also seeded by deployment scripts, so the database knows the defaults.
    is_enabled: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    auto_create_users: Mapped[bool] = mapped_column(default=True, server_default=sa.true())
    require_approval: Mapped[bool] = mapped_column(default=False, server_default=sa.false())


class SsoAuthSession(UUIDPrimaryKey, Base):
    """One sign-in in flight: the state, nonce and PKCE verifier sent to the provider."""

    __tablename__ = "sso_auth_sessions"

    provider_id: Mapped[str] = uuid_ref("sso_providers", "CASCADE")
    state: Mapped[str] = mapped_column(sa.String(128), unique=True)
    nonce: Mapped[str | None] = mapped_column(sa.String(128))
    code_verifier: Mapped[str | None] = mapped_column(sa.String(128))
    redirect_uri: Mapped[str] = mapped_column(sa.String(767))
    user_email: Mapped[str | None] = user_ref("SET NULL")
    created_at: Mapped[datetime] = mapped_column(default=utcnow, server_default=sa.func.now())
    expires_at: Mapped[datetime] = mapped_column(index=True)
    completed_at: Mapped[datetime | None]


class SsoIdentity(UUIDPrimaryKey, TimestampMixin, Base):
    """A provider account (its subject) linked to a user; goes with either."""

    __tablename__ = "sso_identities"
    __table_args__ = (sa.UniqueConstraint("provider_id", "subject"),)

    provider_id: Mapped[str] = uuid_ref("sso_providers", "CASCADE")
    subject: Mapped[str] = mapped_column(sa.String(191))
    user_email: Mapped[str] = user_ref("CASCADE")
    raw_claims: Mapped[dict[str, Any]] = mapped_column(default=dict)
    last_login_at: Mapped[datetime | None]
