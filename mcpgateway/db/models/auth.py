"""The minimal auth core: users, teams, and who belongs to which team."""

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
from mcpgateway.db.models.enums import TeamRole, Visibility


class EmailUser(TimestampMixin, Base):
    """A person who signs in with an email address."""

    __tablename__ = "email_users"

    email: Mapped[str] = mapped_column(sa.String(255), primary_key=True)
    full_name: Mapped[str | None] = mapped_column(sa.String(255))
    password_hash: Mapped[str | None] = mapped_column(sa.String(255))
    is_admin: Mapped[bool] = mapped_column(default=False)
    is_active: Mapped[bool] = mapped_column(default=True)
    last_login: Mapped[datetime | None]


class EmailTeam(UUIDPrimaryKey, TimestampMixin, Base):
    """A team that owns gateways, servers, tools, resources and prompts."""

    __tablename__ = "email_teams"

    name: Mapped[str] = mapped_column(sa.String(255), index=True)
    slug: Mapped[str] = mapped_column(sa.String(255), unique=True)
    description: Mapped[str | None] = mapped_column(sa.Text)
    created_by: Mapped[str | None] = mapped_column(
        sa.ForeignKey("email_users.email", ondelete="SET NULL"), index=True
    )
    is_personal: Mapped[bool] = mapped_column(default=False)
    visibility: Mapped[Visibility] = mapped_column(
        string_enum(Visibility, "visibility"),
        default=Visibility.PRIVATE,
        server_default=Visibility.PRIVATE.value,
    )


class EmailTeamMember(UUIDPrimaryKey, Base):
    """One user's membership of one team."""

    __tablename__ = "email_team_members"
    __table_args__ = (sa.UniqueConstraint("team_id", "user_email"),)

    team_id: Mapped[str] = mapped_column(
        sa.String(UUID_LENGTH), sa.ForeignKey("email_teams.id", ondelete="CASCADE"), index=True
    )
    user_email: Mapped[str] = mapped_column(
        sa.ForeignKey("email_users.email", ondelete="CASCADE"), index=True
    )
    role: Mapped[TeamRole] = mapped_column(string_enum(TeamRole, "role"), default=TeamRole.MEMBER)
    joined_at: Mapped[datetime] = mapped_column(default=utcnow)
