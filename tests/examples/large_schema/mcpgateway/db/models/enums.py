"""String enums shared by the models; stored by value. Most go into non-native enum columns
(``string_enum``: VARCHAR plus a named CHECK); ``SpanKind`` and ``DeliveryStatus`` are native
(``types.native_enum``)."""

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
    """How the gateway talks to a federated peer or a client."""

    SSE = "sse"
    STREAMABLE_HTTP = "streamablehttp"
    STDIO = "stdio"


class IntegrationType(enum.StrEnum):
    """Where a tool's implementation lives."""

    MCP = "mcp"
    REST = "rest"
    A2A = "a2a"


class RequestStatus(enum.StrEnum):
    """The life of an invitation, a join request or a sign-up waiting for an admin."""

    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"
    EXPIRED = "expired"
    WITHDRAWN = "withdrawn"


class RoleScope(enum.StrEnum):
    """Where an RBAC role applies."""

    GLOBAL = "global"
    TEAM = "team"
    PERSONAL = "personal"


class SsoProviderType(enum.StrEnum):
    """The protocol or well-known identity provider behind an SSO configuration."""

    OIDC = "oidc"
    OAUTH2 = "oauth2"
    GITHUB = "github"
    GOOGLE = "google"
    ENTRA_ID = "entra_id"
    KEYCLOAK = "keycloak"


class HealthState(enum.StrEnum):
    """The outcome of a health check against a peer gateway or an LLM provider."""

    HEALTHY = "healthy"
    DEGRADED = "degraded"
    UNREACHABLE = "unreachable"


class SpanKind(enum.StrEnum):
    """OpenTelemetry's span kinds; a native enum (``span_kind``)."""

    INTERNAL = "internal"
    SERVER = "server"
    CLIENT = "client"
    PRODUCER = "producer"
    CONSUMER = "consumer"


class SpanStatus(enum.StrEnum):
    """OpenTelemetry's status codes for a trace or span."""

    UNSET = "unset"
    OK = "ok"
    ERROR = "error"


class AttributeType(enum.StrEnum):
    """Which of a span event attribute's value columns holds the value."""

    STRING = "string"
    INTEGER = "integer"
    FLOAT = "float"
    BOOLEAN = "boolean"


class AuditOutcome(enum.StrEnum):
    """How an audited action ended."""

    SUCCESS = "success"
    FAILURE = "failure"
    DENIED = "denied"


class DeliveryStatus(enum.StrEnum):
    """A webhook delivery's state; a native enum (``webhook_delivery_status``)."""

    PENDING = "pending"
    DELIVERED = "delivered"
    FAILED = "failed"
    ABANDONED = "abandoned"


class AgentType(enum.StrEnum):
    """The kind of endpoint behind an A2A agent."""

    GENERIC = "generic"
    OPENAI = "openai"
    ANTHROPIC = "anthropic"
    CUSTOM = "custom"


class LlmProviderKind(enum.StrEnum):
    """The API an LLM provider speaks."""

    OPENAI = "openai"
    AZURE_OPENAI = "azure_openai"
    ANTHROPIC = "anthropic"
    BEDROCK = "bedrock"
    OLLAMA = "ollama"
    WATSONX = "watsonx"


class LimitScope(enum.StrEnum):
    """Whom a gateway rate-limit policy counts calls for."""

    GLOBAL = "global"
    TEAM = "team"
    USER = "user"
    SERVER = "server"
