"""Virtual servers: named bundles of tools, resources, prompts and A2A agents exposed as one
MCP server."""

from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from mcpgateway.db.base import Base, TimestampMixin, UUIDPrimaryKey
from mcpgateway.db.models.a2a import A2AAgent
from mcpgateway.db.models.associations import (
    server_a2a_association,
    server_prompt_association,
    server_resource_association,
    server_tool_association,
)
from mcpgateway.db.models.catalog import Prompt, Resource, Tool
from mcpgateway.db.models.ownership import OwnershipMixin


class Server(UUIDPrimaryKey, TimestampMixin, OwnershipMixin, Base):
    """A virtual MCP server composed from the catalog."""

    __tablename__ = "servers"

    name: Mapped[str] = mapped_column(sa.String(191), index=True)
    description: Mapped[str | None] = mapped_column(sa.Text)
    icon: Mapped[str | None] = mapped_column(sa.String(767))
    oauth_enabled: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    oauth_config: Mapped[dict[str, Any] | None] = mapped_column(sa.JSON)
    enabled: Mapped[bool] = mapped_column(default=True, server_default=sa.true())

    tools: Mapped[list[Tool]] = relationship(secondary=server_tool_association)
    resources: Mapped[list[Resource]] = relationship(secondary=server_resource_association)
    prompts: Mapped[list[Prompt]] = relationship(secondary=server_prompt_association)
    a2a_agents: Mapped[list[A2AAgent]] = relationship(secondary=server_a2a_association)
