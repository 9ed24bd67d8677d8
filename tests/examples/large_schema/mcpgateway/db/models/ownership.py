"""Team-scoped ownership columns carried by every shareable entity."""

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from mcpgateway.db.base import UUID_LENGTH, string_enum
from mcpgateway.db.models.columns import EMAIL_LENGTH
from mcpgateway.db.models.enums import Visibility


class OwnershipMixin:
    """``team_id``, ``owner_email`` and ``visibility``; deleting the team or owner keeps the row."""

    team_id: Mapped[str | None] = mapped_column(
        sa.String(UUID_LENGTH),
        sa.ForeignKey("email_teams.id", ondelete="SET NULL"),
        index=True,
        sort_order=50,
    )
    owner_email: Mapped[str | None] = mapped_column(
        sa.String(EMAIL_LENGTH),
        sa.ForeignKey("email_users.email", ondelete="SET NULL"),
        index=True,
        sort_order=50,
    )
    visibility: Mapped[Visibility] = mapped_column(
        string_enum(Visibility, "visibility"),
        default=Visibility.PRIVATE,
        server_default=Visibility.PRIVATE.value,
        sort_order=50,
    )
