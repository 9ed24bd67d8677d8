"""How people join teams: invitations sent by members, and requests to join sent by users."""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from mcpgateway.db.base import Base, TimestampMixin, UUIDPrimaryKey, string_enum
from mcpgateway.db.models.columns import EMAIL_LENGTH, user_ref, uuid_ref
from mcpgateway.db.models.enums import RequestStatus, TeamRole


class EmailTeamInvitation(UUIDPrimaryKey, TimestampMixin, Base):
    """An invitation to join a team, sent to an address that may not have an account yet."""

    __tablename__ = "email_team_invitations"
    __table_args__ = (
        # Only open invitations are looked up by address; PostgreSQL and SQLite index just
        # those, MariaDB (no partial indexes) indexes every row.
        sa.Index(
            "ix_email_team_invitations_pending",
            "team_id",
            "email",
            postgresql_where=sa.text("status = 'pending'"),
            sqlite_where=sa.text("status = 'pending'"),
        ),
    )

    team_id: Mapped[str] = uuid_ref("email_teams", "CASCADE")
    email: Mapped[str] = mapped_column(sa.String(EMAIL_LENGTH))
    role: Mapped[TeamRole] = mapped_column(string_enum(TeamRole, "role"), default=TeamRole.MEMBER)
    invited_by: Mapped[str | None] = user_ref("SET NULL")
    token_hash: Mapped[str] = mapped_column(sa.String(128), unique=True)
    message: Mapped[str | None] = mapped_column(sa.Text)
    status: Mapped[RequestStatus] = mapped_column(
        string_enum(RequestStatus, "status"),
        default=RequestStatus.PENDING,
        server_default=RequestStatus.PENDING.value,
    )
    expires_at: Mapped[datetime]
    responded_at: Mapped[datetime | None]


class EmailTeamJoinRequest(UUIDPrimaryKey, TimestampMixin, Base):
    """A user's request to join a public team, reviewed by one of its owners."""

    __tablename__ = "email_team_join_requests"
    __table_args__ = (sa.UniqueConstraint("team_id", "user_email"),)

    team_id: Mapped[str] = uuid_ref("email_teams", "CASCADE")
    user_email: Mapped[str] = user_ref("CASCADE")
    message: Mapped[str | None] = mapped_column(sa.Text)
    status: Mapped[RequestStatus] = mapped_column(
        string_enum(RequestStatus, "status"),
        default=RequestStatus.PENDING,
        server_default=RequestStatus.PENDING.value,
    )
    reviewed_by: Mapped[str | None] = user_ref("SET NULL")
    reviewed_at: Mapped[datetime | None]
    review_note: Mapped[str | None] = mapped_column(sa.Text)
