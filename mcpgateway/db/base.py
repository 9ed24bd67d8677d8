"""The declarative base, its naming convention, and the column mixins every model shares."""

import enum
import uuid
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

UUID_LENGTH = 36  # a UUID as text: the portable primary key

# Deterministic constraint names make every backend agree and let downgrades drop by name.
NAMING_CONVENTION = {
    "pk": "pk_%(table_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
}


def new_uuid() -> str:
    """Return a fresh 36-character UUID string, the portable primary key."""
    return str(uuid.uuid4())


def utcnow() -> datetime:
    """Return the current time, timezone-aware in UTC."""
    return datetime.now(UTC)


class Base(DeclarativeBase):
    """The one declarative base; core and plugin models all register on its metadata."""

    metadata = sa.MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {
        dict[str, Any]: sa.JSON(),
        datetime: sa.DateTime(timezone=True),
    }


def string_enum(enum_cls: type[enum.Enum], name: str) -> sa.Enum:
    """A non-native string enum stored by value, guarded by a named CHECK constraint."""
    return sa.Enum(
        enum_cls,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=max(len(str(member.value)) for member in enum_cls),
        values_callable=lambda members: [str(member.value) for member in members],
        validate_strings=True,
    )


class UUIDPrimaryKey:
    """A 36-character UUID string primary key, generated client-side."""

    id: Mapped[str] = mapped_column(
        sa.String(UUID_LENGTH), primary_key=True, default=new_uuid, sort_order=-100
    )


class TimestampMixin:
    """Timezone-aware ``created_at`` and ``updated_at``, set by callables, not the server."""

    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True, sort_order=100)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow, sort_order=100)
