"""Foreign-key column builders: each gives the referencing column exactly the type of the key
it points at (MariaDB refuses a foreign key between different types) and an index."""

from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import MappedColumn, mapped_column

from mcpgateway.db.base import UUID_LENGTH

EMAIL_LENGTH = 255  # email_users.email; indexed as is: 1,020 bytes in utf8mb4, under 3,072


def user_ref(ondelete: str, **kwargs: Any) -> MappedColumn[Any]:
    """An indexed reference to ``email_users.email``; nullability follows the annotation."""
    return mapped_column(
        sa.String(EMAIL_LENGTH),
        sa.ForeignKey("email_users.email", ondelete=ondelete),
        index=True,
        **kwargs,
    )


def uuid_ref(target: str, ondelete: str, **kwargs: Any) -> MappedColumn[Any]:
    """An indexed reference to the 36-character ``id`` of ``target`` (a table name)."""
    return mapped_column(
        sa.String(UUID_LENGTH),
        sa.ForeignKey(f"{target}.id", ondelete=ondelete),
        index=True,
        **kwargs,
    )
