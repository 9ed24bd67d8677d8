"""Virtual servers: named bundles of tools, resources and prompts exposed as one MCP server."""

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from mcpgateway.db.base import Base, TimestampMixin, UUIDPrimaryKey
from mcpgateway.db.models.associations import (
    server_prompt_association,
    server_resource_association,
    server_tool_association,
)
from mcpgateway.db.models.catalog import Prompt, Resource, Tool
from mcpgateway.db.models.ownership import OwnershipMixin


class Server(UUIDPrimaryKey, TimestampMixin, OwnershipMixin, Base):
    """A virtual MCP server composed from the catalog."""

    __tablename__ = "servers"

    name: Mapped[str] = mapped_column(sa.String(255), index=True)
    description: Mapped[str | None] = mapped_column(sa.Text)
    icon: Mapped[str | None] = mapped_column(sa.String(767))
    enabled: Mapped[bool] = mapped_column(default=True)

    tools: Mapped[list[Tool]] = relationship(secondary=server_tool_association)
    resources: Mapped[list[Resource]] = relationship(secondary=server_resource_association)
    prompts: Mapped[list[Prompt]] = relationship(secondary=server_prompt_association)
