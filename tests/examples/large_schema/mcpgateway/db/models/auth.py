"""The identity core: users, teams (which may nest), and who belongs to which team."""

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
from mcpgateway.db.models.columns import EMAIL_LENGTH, user_ref
from mcpgateway.db.models.enums import TeamRole, Visibility


class EmailUser(TimestampMixin, Base):
    """A person who signs in with an email address, a password or an SSO provider."""

    __tablename__ = "email_users"

    email: Mapped[str] = mapped_column(sa.String(EMAIL_LENGTH), primary_key=True)
    full_name: Mapped[str | None] = mapped_column(sa.String(255))
    password_hash: Mapped[str | None] = mapped_column(sa.String(255))
    auth_provider: Mapped[str] = mapped_column(
        sa.String(32), default="local", server_default="local"
    )
    # Filled by the database too: users are also created by SSO sync jobs and admin scripts.
    is_admin: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    is_active: Mapped[bool] = mapped_column(default=True, server_default=sa.true())
    password_change_required: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    email_verified_at: Mapped[datetime | None]
    failed_login_attempts: Mapped[int] = mapped_column(default=0, server_default="0")
    locked_until: Mapped[datetime | None]
    last_login: Mapped[datetime | None]
    preferences: Mapped[dict[str, object] | None] = mapped_column(sa.JSON)


class EmailTeam(UUIDPrimaryKey, TimestampMixin, Base):
    """A team that owns gateways, servers, tools, resources and prompts; it may sit inside a
    parent team, and outlives it (the link is cleared)."""

    __tablename__ = "email_teams"

    name: Mapped[str] = mapped_column(sa.String(191), index=True)
    slug: Mapped[str] = mapped_column(sa.String(191), unique=True)
    description: Mapped[str | None] = mapped_column(sa.Text)
    parent_team_id: Mapped[str | None] = mapped_column(
        sa.String(UUID_LENGTH), sa.ForeignKey("email_teams.id", ondelete="SET NULL"), index=True
    )
    created_by: Mapped[str | None] = user_ref("SET NULL")
    is_personal: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    is_active: Mapped[bool] = mapped_column(default=True, server_default=sa.true())
    max_members: Mapped[int | None]
    visibility: Mapped[Visibility] = mapped_column(
        string_enum(Visibility, "visibility"),
        default=Visibility.PRIVATE,
        server_default=Visibility.PRIVATE.value,
    )


class EmailTeamMember(UUIDPrimaryKey, Base):
    """One user's membership of one team; goes with either."""

    __tablename__ = "email_team_members"
    __table_args__ = (sa.UniqueConstraint("team_id", "user_email"),)

    team_id: Mapped[str] = mapped_column(
        sa.String(UUID_LENGTH), sa.ForeignKey("email_teams.id", ondelete="CASCADE"), index=True
    )
    user_email: Mapped[str] = user_ref("CASCADE")
    role: Mapped[TeamRole] = mapped_column(string_enum(TeamRole, "role"), default=TeamRole.MEMBER)
    invited_by: Mapped[str | None] = user_ref("SET NULL")
    joined_at: Mapped[datetime] = mapped_column(default=utcnow)
    is_active: Mapped[bool] = mapped_column(default=True, server_default=sa.true())
