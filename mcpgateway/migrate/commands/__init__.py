"""One handler per command, each a thin wrapper that builds the config and calls Alembic:
``schema`` (moving and reading the database), ``authoring`` (writing revisions and plugins),
``checks`` (db-check, db-verify, db-accept, db-lint), ``operations`` (backups, info, bench)."""

import argparse
from collections.abc import Callable

from mcpgateway.errors import UsageError

Handler = Callable[[argparse.Namespace], int | None]


def required(value: str | None, variable: str, example: str) -> str:
    """``value``, or a usage error naming the Make variable and an example."""
    if value is None or not value.strip():
        raise UsageError(f"{variable} is required, e.g. {example}")
    return value
