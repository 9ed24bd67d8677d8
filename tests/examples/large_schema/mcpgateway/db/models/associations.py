"""Link tables: which tools, resources, prompts and A2A agents each virtual server exposes,
and which tags each entity carries. Rows vanish with either side."""

import sqlalchemy as sa

from mcpgateway.db.base import UUID_LENGTH, Base


def _link(table: str, left: str, right: str) -> sa.Table:
    """A two-column link table; each column is ``<table name minus the plural s>_id``."""
    columns = [
        sa.Column(
            f"{target[:-1]}_id",
            sa.String(UUID_LENGTH),
            sa.ForeignKey(f"{target}.id", ondelete="CASCADE"),
            primary_key=True,
            index=position == 1,  # the first is the primary key's leading column already
        )
        for position, target in enumerate((left, right))
    ]
    return sa.Table(table, Base.metadata, *columns)


server_tool_association = _link("server_tool_association", "servers", "tools")
server_resource_association = _link("server_resource_association", "servers", "resources")
server_prompt_association = _link("server_prompt_association", "servers", "prompts")
server_a2a_association = _link("server_a2a_association", "servers", "a2a_agents")

tool_tags = _link("tool_tags", "tools", "tags")
resource_tags = _link("resource_tags", "resources", "tags")
prompt_tags = _link("prompt_tags", "prompts", "tags")
server_tags = _link("server_tags", "servers", "tags")
gateway_tags = _link("gateway_tags", "gateways", "tags")
