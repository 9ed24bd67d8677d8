"""Column types of our own: ``EncryptedText`` for secrets at rest, ``native_enum`` for the
few enums that are real database types (PostgreSQL ``CREATE TYPE``, MariaDB ``ENUM``)."""

import base64
import enum
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Dialect

ENCRYPTED_PREFIX = "enc:v1:"


class EncryptedText(sa.types.TypeDecorator[str]):
    """Text kept unreadable at rest: a stand-in for real encryption.

    The transform is deliberately trivial and reversible (URL-safe base64 behind a version
    prefix), so tests can see the stored form differ from the value and round-trip. A value
    without the prefix (written by another tool) is returned as stored.
    """

    impl = sa.Text
    cache_ok = True

    def process_bind_param(self, value: str | None, dialect: Dialect) -> str | None:
        """Encode ``value`` on its way into the database."""
        if value is None:
            return None
        return ENCRYPTED_PREFIX + base64.urlsafe_b64encode(value.encode("utf-8")).decode("ascii")

    def process_result_value(self, value: Any | None, dialect: Dialect) -> str | None:
        """Decode a stored value on its way out."""
        if value is None:
            return None
        text = str(value)
        if not text.startswith(ENCRYPTED_PREFIX):
            return text
        return base64.urlsafe_b64decode(text[len(ENCRYPTED_PREFIX) :]).decode("utf-8")


def native_enum(enum_cls: type[enum.Enum], name: str) -> sa.Enum:
    """A native enum stored by value: a named type on PostgreSQL, ``ENUM(...)`` on MariaDB,
    and a plain VARCHAR on SQLite. Use each name on one column only: PostgreSQL creates the
    type with the first table that has it."""
    return sa.Enum(
        enum_cls,
        name=name,
        native_enum=True,
        values_callable=lambda members: [str(member.value) for member in members],
        validate_strings=True,
    )
