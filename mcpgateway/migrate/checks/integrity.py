"""Is the database what these revision files built? Applied revisions edited since they ran,
judged by the preflight's own check (``run.preflight.edited``), and accepting such an edit."""

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlalchemy as sa
from alembic.config import Config
from sqlalchemy.engine import make_url

from mcpgateway.config import get_settings
from mcpgateway.errors import DatabaseUnreachable, UsageError
from mcpgateway.migrate.database import configured_connection
from mcpgateway.migrate.history.graph import (
    History,
    history_of,
    include_recorded,
    script_directory,
)
from mcpgateway.migrate.plugins import CORE, enabled_plugins
from mcpgateway.migrate.run import ledger, preflight


@contextmanager
def _database(config: Config) -> Iterator[tuple[sa.Connection, preflight.Observed, History]]:
    script = script_directory(config)
    with configured_connection() as conn:
        seen = preflight.observe(conn)
        parked = include_recorded(script, seen.recorded)
        names = [CORE, *(p.name for p in enabled_plugins()), *(p.name for p in parked)]
        yield conn, seen, history_of(script, names)


def verify(config: Config) -> list[preflight.Mismatch]:
    """Every applied revision whose file changed since it ran."""
    with _database(config) as (_conn, seen, history):
        return preflight.edited(seen, history)


def verify_if_present(config: Config) -> tuple[list[preflight.Mismatch], str | None]:
    """Checksums of the configured database, or why they could not be checked."""
    url = make_url(get_settings().database_url)
    if url.get_backend_name() == "sqlite" and not Path(url.database or ":memory:").is_file():
        return [], f"no database at {url.database}"
    try:
        return verify(config), None
    except DatabaseUnreachable as exc:
        return [], str(exc)


def accept(config: Config, revisions: list[str]) -> list[str]:
    """Record the edited files' current checksums as the applied ones; returns those accepted."""
    with _database(config) as (conn, seen, history):
        edited = {m.revision for m in preflight.edited(seen, history)}
        wanted = sorted(edited) if revisions == ["all"] else revisions
        unknown = [rev for rev in wanted if rev not in edited]
        if unknown:
            raise UsageError(
                f"REV={unknown[0]} is not an edited applied revision (make db-verify lists them)"
            )
        for revision in wanted:
            ledger.record_applied(conn, revision, history.nodes[revision].path)
        conn.commit()
        return wanted
