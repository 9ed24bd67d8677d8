"""The catalog: tools, resources, resource templates and prompts, each local or belonging to a
federated gateway."""

from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine.default import DefaultExecutionContext
from sqlalchemy.orm import Mapped, mapped_column

from mcpgateway.db.base import UUID_LENGTH, Base, TimestampMixin, UUIDPrimaryKey, string_enum
from mcpgateway.db.models.enums import IntegrationType
from mcpgateway.db.models.ownership import OwnershipMixin


class GatewayChildMixin:
    """An optional link to the federated gateway the entity came from; deleted with it."""

    gateway_id: Mapped[str | None] = mapped_column(
        sa.String(UUID_LENGTH), sa.ForeignKey("gateways.id", ondelete="CASCADE"), index=True
    )


# Characters a tool slug turns into hyphens.
SLUG_SEPARATORS = (" ", "_", ".", "/", ":")


def tool_slug(name: str) -> str:
    """The slug of a tool name: separators turned into hyphens, ASCII letters lowered."""
    for separator in SLUG_SEPARATORS:
        name = name.replace(separator, "-")
    return "".join(char.lower() if char.isascii() else char for char in name)


def _default_slug(context: DefaultExecutionContext) -> str:
    parameters: dict[str, str] = context.get_current_parameters()  # type: ignore[no-untyped-call]
    return tool_slug(parameters["name"])


class Tool(UUIDPrimaryKey, TimestampMixin, OwnershipMixin, GatewayChildMixin, Base):
    """A callable tool, invoked over MCP, REST or A2A."""

    __tablename__ = "tools"
    __table_args__ = (
        sa.UniqueConstraint("gateway_id", "name"),
        sa.UniqueConstraint("gateway_id", "slug"),
        sa.CheckConstraint("timeout_ms IS NULL OR timeout_ms > 0", name="positive_timeout"),
    )

    name: Mapped[str] = mapped_column(sa.String(191), index=True)
    slug: Mapped[str] = mapped_column(sa.String(191), default=_default_slug)
    original_name: Mapped[str] = mapped_column(sa.String(255))
    display_name: Mapped[str | None] = mapped_column(sa.String(255))
    url: Mapped[str | None] = mapped_column(sa.String(767))
    description: Mapped[str | None] = mapped_column(sa.Text)
    integration_type: Mapped[IntegrationType] = mapped_column(
        string_enum(IntegrationType, "integration_type"), default=IntegrationType.MCP
    )
    request_type: Mapped[str] = mapped_column(sa.String(16), default="POST")
    headers: Mapped[dict[str, Any]] = mapped_column(default=dict)
    input_schema: Mapped[dict[str, Any]] = mapped_column(default=dict)
    output_schema: Mapped[dict[str, Any] | None] = mapped_column(sa.JSON)
    annotations: Mapped[dict[str, Any]] = mapped_column(default=dict)
    jsonpath_filter: Mapped[str | None] = mapped_column(sa.String(512))
    timeout_ms: Mapped[int | None]
    enabled: Mapped[bool] = mapped_column(default=True, server_default=sa.true())
    reachable: Mapped[bool] = mapped_column(default=True, server_default=sa.true())


class Resource(UUIDPrimaryKey, TimestampMixin, OwnershipMixin, GatewayChildMixin, Base):
    """A readable resource addressed by URI; small binary bodies are stored inline."""

    __tablename__ = "resources"
    # Deliberately wide: 36 + 720 characters is 3,024 bytes in utf8mb4, just under InnoDB's
    # 3,072-byte key limit, so MariaDB builds an ordinary B-tree unique index.
    __table_args__ = (sa.UniqueConstraint("gateway_id", "uri"),)

    uri: Mapped[str] = mapped_column(sa.String(720))
    name: Mapped[str] = mapped_column(sa.String(191), index=True)
    description: Mapped[str | None] = mapped_column(sa.Text)
    mime_type: Mapped[str | None] = mapped_column(sa.String(127))
    size: Mapped[int | None]
    text_content: Mapped[str | None] = mapped_column(sa.Text)
    binary_content: Mapped[bytes | None] = mapped_column(sa.LargeBinary)
    enabled: Mapped[bool] = mapped_column(default=True, server_default=sa.true())


class ResourceTemplate(UUIDPrimaryKey, TimestampMixin, OwnershipMixin, GatewayChildMixin, Base):
    """An RFC 6570 URI template clients fill in to address a family of resources."""

    __tablename__ = "resource_templates"
    __table_args__ = (sa.UniqueConstraint("gateway_id", "name"),)

    uri_template: Mapped[str] = mapped_column(sa.String(767))
    name: Mapped[str] = mapped_column(sa.String(191))
    description: Mapped[str | None] = mapped_column(sa.Text)
    mime_type: Mapped[str | None] = mapped_column(sa.String(127))
    annotations: Mapped[dict[str, Any]] = mapped_column(default=dict)
    enabled: Mapped[bool] = mapped_column(default=True, server_default=sa.true())


class Prompt(UUIDPrimaryKey, TimestampMixin, OwnershipMixin, GatewayChildMixin, Base):
    """A prompt template with a JSON schema for its arguments."""

    __tablename__ = "prompts"
    __table_args__ = (sa.UniqueConstraint("gateway_id", "name"),)

    name: Mapped[str] = mapped_column(sa.String(191), index=True)
    description: Mapped[str | None] = mapped_column(sa.Text)
    template: Mapped[str] = mapped_column(sa.Text)
    argument_schema: Mapped[dict[str, Any]] = mapped_column(default=dict)
    enabled: Mapped[bool] = mapped_column(default=True, server_default=sa.true())
