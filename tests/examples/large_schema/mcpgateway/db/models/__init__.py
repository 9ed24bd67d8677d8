"""A large core schema for tests: about seventy tables, one module per concern, exercising
every column type, constraint and naming-convention edge the toolkit must carry across
SQLite, PostgreSQL and MariaDB. Importing this package registers every table on
``Base.metadata``; plugins add theirs when their own ``models`` module is imported."""

from mcpgateway.db.base import Base
from mcpgateway.db.models import (
    a2a,
    accounts,
    associations,
    audit,
    auth,
    catalog,
    columns,
    enums,
    gateways,
    llm,
    metrics,
    oauth,
    observability,
    ownership,
    rbac,
    servers,
    sessions,
    settings,
    sso,
    subscriptions,
    tags,
    teams,
    tokens,
    types,
    webhooks,
)

metadata = Base.metadata

__all__ = [
    "Base",
    "a2a",
    "accounts",
    "associations",
    "audit",
    "auth",
    "catalog",
    "columns",
    "enums",
    "gateways",
    "llm",
    "metadata",
    "metrics",
    "oauth",
    "observability",
    "ownership",
    "rbac",
    "servers",
    "sessions",
    "settings",
    "sso",
    "subscriptions",
    "tags",
    "teams",
    "tokens",
    "types",
    "webhooks",
]
