"""OAuth 2.0 as the gateway plays it both ways: clients it registered with upstream
authorization servers (and the tokens it holds for users there), and the authorization codes
and states of flows in progress."""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from mcpgateway.db.base import Base, TimestampMixin, UUIDPrimaryKey, utcnow
from mcpgateway.db.models.columns import user_ref, uuid_ref
from mcpgateway.db.models.types import EncryptedText


class OAuthClient(UUIDPrimaryKey, TimestampMixin, Base):
    """A client registration (static or dynamic) at an upstream authorization server."""

    __tablename__ = "oauth_clients"
    __table_args__ = (sa.UniqueConstraint("issuer_hash", "client_id"),)

    gateway_id: Mapped[str | None] = uuid_ref("gateways", "CASCADE")
    issuer: Mapped[str] = mapped_column(sa.String(767))
    issuer_hash: Mapped[str] = mapped_column(sa.String(64))  # SHA-256 of issuer, indexable
    client_id: Mapped[str] = mapped_column(sa.String(191))
    client_secret: Mapped[str | None] = mapped_column(EncryptedText)
    client_name: Mapped[str | None] = mapped_column(sa.String(255))
    redirect_uris: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    grant_types: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    scopes: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    token_endpoint_auth_method: Mapped[str] = mapped_column(
        sa.String(32), default="client_secret_basic"
    )
    registration_access_token: Mapped[str | None] = mapped_column(EncryptedText)
    is_dynamic: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    created_by: Mapped[str | None] = user_ref("SET NULL")
    expires_at: Mapped[datetime | None]


class OAuthToken(UUIDPrimaryKey, TimestampMixin, Base):
    """The access and refresh tokens the gateway holds for one user at one peer gateway."""

    __tablename__ = "oauth_tokens"
    __table_args__ = (sa.UniqueConstraint("gateway_id", "user_email"),)

    gateway_id: Mapped[str] = uuid_ref("gateways", "CASCADE")
    user_email: Mapped[str] = user_ref("CASCADE")
    upstream_subject: Mapped[str | None] = mapped_column(sa.String(255))
    access_token: Mapped[str] = mapped_column(EncryptedText)
    refresh_token: Mapped[str | None] = mapped_column(EncryptedText)
    token_type: Mapped[str] = mapped_column(sa.String(32), default="Bearer")
    scopes: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    expires_at: Mapped[datetime | None] = mapped_column(index=True)


class OAuthAuthorizationCode(UUIDPrimaryKey, Base):
    """A code the gateway issued to one of its clients, redeemed once (PKCE-bound)."""

    __tablename__ = "oauth_authorization_codes"

    code_hash: Mapped[str] = mapped_column(sa.String(128), unique=True)
    client_id: Mapped[str] = uuid_ref("oauth_clients", "CASCADE")
    user_email: Mapped[str] = user_ref("CASCADE")
    redirect_uri: Mapped[str] = mapped_column(sa.String(767))
    scopes: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    code_challenge: Mapped[str | None] = mapped_column(sa.String(128))
    code_challenge_method: Mapped[str | None] = mapped_column(sa.String(16))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    consumed_at: Mapped[datetime | None]


class OAuthState(UUIDPrimaryKey, Base):
    """An authorization flow the gateway started against a peer; the state binds the callback."""

    __tablename__ = "oauth_states"

    gateway_id: Mapped[str] = uuid_ref("gateways", "CASCADE")
    state: Mapped[str] = mapped_column(sa.String(128), unique=True)
    code_verifier: Mapped[str | None] = mapped_column(sa.String(128))
    app_user_email: Mapped[str | None] = user_ref("CASCADE")
    created_at: Mapped[datetime] = mapped_column(default=utcnow, server_default=sa.func.now())
    expires_at: Mapped[datetime] = mapped_column(index=True)
    used: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
