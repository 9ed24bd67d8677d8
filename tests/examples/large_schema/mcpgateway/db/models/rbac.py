"""Role-based access control: roles (which may inherit), permissions, the grants between them,
role assignments to users, and the log of permission checks."""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from mcpgateway.db.base import (
    UUID_LENGTH,
    Base,
    TimestampMixin,
    UUIDPrimaryKey,
    string_enum,
    utcnow,
)
from mcpgateway.db.models.accounts import IP_LENGTH
from mcpgateway.db.models.columns import user_ref, uuid_ref
from mcpgateway.db.models.enums import RoleScope
from mcpgateway.db.models.metrics import MetricId


class Role(UUIDPrimaryKey, TimestampMixin, Base):
    """A named set of permissions for one scope; it may inherit another role's permissions."""

    __tablename__ = "roles"
    __table_args__ = (sa.UniqueConstraint("name", "scope"),)

    name: Mapped[str] = mapped_column(sa.String(128))
    description: Mapped[str | None] = mapped_column(sa.Text)
    scope: Mapped[RoleScope] = mapped_column(
        string_enum(RoleScope, "scope"), default=RoleScope.TEAM
    )
    inherits_from: Mapped[str | None] = mapped_column(
        sa.String(UUID_LENGTH), sa.ForeignKey("roles.id", ondelete="SET NULL"), index=True
    )
    created_by: Mapped[str | None] = user_ref("SET NULL")
    is_system_role: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    is_active: Mapped[bool] = mapped_column(default=True, server_default=sa.true())


class Permission(UUIDPrimaryKey, Base):
    """One action on one kind of resource, such as ``tools.execute``."""

    __tablename__ = "permissions"
    __table_args__ = (sa.UniqueConstraint("resource_type", "action"),)

    name: Mapped[str] = mapped_column(sa.String(128), unique=True)
    resource_type: Mapped[str] = mapped_column(sa.String(64))
    action: Mapped[str] = mapped_column(sa.String(64))
    description: Mapped[str | None] = mapped_column(sa.Text)
    is_dangerous: Mapped[bool] = mapped_column(default=False, server_default=sa.false())


class RolePermission(Base):
    """A permission granted to a role; goes with either."""

    __tablename__ = "role_permissions"

    role_id: Mapped[str] = mapped_column(
        sa.String(UUID_LENGTH), sa.ForeignKey("roles.id", ondelete="CASCADE"), primary_key=True
    )
    permission_id: Mapped[str] = uuid_ref("permissions", "CASCADE", primary_key=True)
    granted_at: Mapped[datetime] = mapped_column(default=utcnow, server_default=sa.func.now())


class UserRole(UUIDPrimaryKey, Base):
    """A role assigned to a user, everywhere or within one team (``scope_id``)."""

    __tablename__ = "user_roles"
    __table_args__ = (sa.UniqueConstraint("user_email", "role_id", "scope_id"),)

    user_email: Mapped[str] = user_ref("CASCADE")
    role_id: Mapped[str] = uuid_ref("roles", "CASCADE")
    scope: Mapped[RoleScope] = mapped_column(
        string_enum(RoleScope, "scope"), default=RoleScope.TEAM
    )
    scope_id: Mapped[str | None] = uuid_ref("email_teams", "CASCADE")
    granted_by: Mapped[str | None] = user_ref("SET NULL")
    granted_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime | None]
    is_active: Mapped[bool] = mapped_column(default=True, server_default=sa.true())


class PermissionAuditLog(Base):
    """One permission check: who asked for what, and whether it was granted."""

    __tablename__ = "permission_audit_log"

    id: Mapped[int] = mapped_column(MetricId, primary_key=True, autoincrement=True)
    checked_at: Mapped[datetime] = mapped_column(
        default=utcnow, server_default=sa.func.now(), index=True
    )
    user_email: Mapped[str | None] = user_ref("SET NULL")
    permission: Mapped[str] = mapped_column(sa.String(128), index=True)
    resource_type: Mapped[str | None] = mapped_column(sa.String(64))
    resource_id: Mapped[str | None] = mapped_column(sa.String(255))
    team_id: Mapped[str | None] = uuid_ref("email_teams", "SET NULL")
    granted: Mapped[bool]
    roles_checked: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    ip_address: Mapped[str | None] = mapped_column(sa.String(IP_LENGTH))
    user_agent: Mapped[str | None] = mapped_column(sa.String(512))
