"""Core models, one module per concern. Importing this package registers every core table on
``Base.metadata``; plugins add theirs when their own ``models`` module is imported."""

from mcpgateway.db.base import Base
from mcpgateway.db.models import (
    associations,
    auth,
    catalog,
    enums,
    gateways,
    metrics,
    ownership,
    servers,
    subscriptions,
)

metadata = Base.metadata

__all__ = [
    "Base",
    "associations",
    "auth",
    "catalog",
    "enums",
    "gateways",
    "metadata",
    "metrics",
    "ownership",
    "servers",
    "subscriptions",
]
