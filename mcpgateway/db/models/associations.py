"""Which tools, resources and prompts each virtual server exposes; rows vanish with either side."""

import sqlalchemy as sa

from mcpgateway.db.base import UUID_LENGTH, Base


def _server_link(table: str, target: str) -> sa.Table:
    column = f"{target[:-1]}_id"
    return sa.Table(
        table,
        Base.metadata,
        sa.Column(
            "server_id",
            sa.String(UUID_LENGTH),
            sa.ForeignKey("servers.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column(
            column,
            sa.String(UUID_LENGTH),
            sa.ForeignKey(f"{target}.id", ondelete="CASCADE"),
            primary_key=True,
            index=True,
        ),
    )


server_tool_association = _server_link("server_tool_association", "tools")
server_resource_association = _server_link("server_resource_association", "resources")
server_prompt_association = _server_link("server_prompt_association", "prompts")
