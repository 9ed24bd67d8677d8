"""Start-up migration: ``bootstrap()``, or ``python -m mcpgateway.migrate bootstrap``.

At head it returns at once without the lock; behind, it takes the lock and upgrades (so many
replicas starting together take turns); with MCPGATEWAY_SKIP_MIGRATIONS it never migrates and
fails fast when behind. A database that is ahead, or unversioned, is refused unchanged.
"""

from alembic import command

from mcpgateway.config import get_settings
from mcpgateway.errors import BehindHead
from mcpgateway.migrate.alembic_config import load_config
from mcpgateway.migrate.history.position import position
from mcpgateway.migrate.models import owned_tables
from mcpgateway.migrate.options import RunOptions, attach


def bootstrap() -> str:
    """Bring the database to head if needed; returns one line saying what happened."""
    config = load_config()
    where = position(config)  # raises for a revision no script has: the database is ahead
    if where.at_head:
        return "at head, nothing to do"
    pending = ", ".join(script.revision for script in where.pending)
    if get_settings().mcpgateway_skip_migrations:
        raise BehindHead(
            f"MCPGATEWAY_SKIP_MIGRATIONS is set and the database is behind head "
            f"({len(where.pending)} pending: {pending}); run make db-up from a deploy step"
        )
    attach(config, RunOptions(mutation="upgrade", owned_tables=owned_tables))
    command.upgrade(config, "heads")
    return f"upgraded: {pending}"
