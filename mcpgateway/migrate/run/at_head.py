"""``db-up`` answered from the cached revision graph when the database is already at head: one
reading of the database, judged by the same preflight the full path runs (``run.preflight``),
with no revision file loaded.

It answers only "at head, nothing to do". Anything else (no cache or a stale one, an empty
database, a database behind or ahead, anything the preflight refuses or would repair, an
unreachable server) and it declines: the full path runs and reports.
"""

import logging
import os

import sqlalchemy as sa

from mcpgateway.config import get_settings
from mcpgateway.errors import DatabaseUnreachable, ToolkitError
from mcpgateway.migrate.alembic_config import load_config
from mcpgateway.migrate.database import connect
from mcpgateway.migrate.history import cache
from mcpgateway.migrate.history.graph import History
from mcpgateway.migrate.history.position import position_line
from mcpgateway.migrate.paths import ini_path
from mcpgateway.migrate.run import preflight
from mcpgateway.migrate.run.probe import settings_engine

log = logging.getLogger(__name__)


def cached_history() -> History | None:
    """The cached graph for today's settings, if every input it was built from is unchanged."""
    settings = get_settings()
    if not settings.migration_fast_path or not ini_path().is_file():
        return None
    return cache.load(load_config(), settings.plugins)


def verdict_at_head(history: History) -> preflight.Verdict | None:
    """The preflight's verdict on the configured database for an upgrade, or None if the
    database cannot be read."""
    engine = settings_engine()
    database = engine.url.database or ""
    if engine.url.get_backend_name() == "sqlite" and not os.path.isfile(database):
        engine.dispose()
        return None  # no database yet, so not at head; connecting would create the file
    try:
        with connect(engine) as connection:
            return preflight.examine(preflight.observe(connection), history, purpose="upgrade")
    except DatabaseUnreachable:
        raise  # said once, now: the full path would only wait as long again
    except (ToolkitError, sa.exc.SQLAlchemyError) as exc:
        log.debug("at-head answer declined: %s", exc)
        return None  # the full path reads again and says what is wrong
    finally:
        engine.dispose()


def up_at_head() -> bool:
    """Print where the database is and return True when it is at head with nothing to check or
    repair; False to go the full way."""
    history = cached_history()
    if history is None:
        return False
    verdict = verdict_at_head(history)
    if verdict is None or not verdict.clean or not verdict.at_head:
        return False
    print(position_line(get_settings().database_url, history.tips(verdict.recorded)))
    return True
