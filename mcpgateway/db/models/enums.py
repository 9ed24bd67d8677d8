"""String enums shared by several models; stored by value in non-native enum columns."""

import enum


class Visibility(enum.StrEnum):
    """Who may see an entity: its owner, its team, or everyone."""

    PRIVATE = "private"
    TEAM = "team"
    PUBLIC = "public"


class TeamRole(enum.StrEnum):
    """A member's role in a team."""

    OWNER = "owner"
    MEMBER = "member"


class Transport(enum.StrEnum):
    """How the gateway talks to a federated peer."""

    SSE = "sse"
    STREAMABLE_HTTP = "streamablehttp"
    STDIO = "stdio"


class IntegrationType(enum.StrEnum):
    """Where a tool's implementation lives."""

    MCP = "mcp"
    REST = "rest"
