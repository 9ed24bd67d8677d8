"""Is the database what these migrations built? Checksums, and tables nobody versioned."""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlalchemy as sa
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy.engine import make_url

from mcpgateway.config import get_settings
from mcpgateway.db import ledger
from mcpgateway.db.migrations import configured_connection, current_heads
from mcpgateway.db.plugins import include_recorded
from mcpgateway.db.status import script_directory
from mcpgateway.errors import DatabaseUnreachable, UnmanagedSchema, UsageError


@contextmanager
def _database(config: Config) -> Iterator[tuple[sa.Connection, ScriptDirectory]]:
    script = script_directory(config)
    with configured_connection() as conn:
        include_recorded(script, current_heads(conn))
        yield conn, script


def verify(config: Config) -> list[ledger.Mismatch]:
    """Every applied revision whose file changed since it ran."""
    with _database(config) as (conn, script):
        return ledger.mismatches(conn, script)


def verify_if_present(config: Config) -> tuple[list[ledger.Mismatch], str | None]:
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
    with _database(config) as (conn, script):
        edited = {m.revision for m in ledger.mismatches(conn, script)}
        wanted = sorted(edited) if revisions == ["all"] else revisions
        unknown = [rev for rev in wanted if rev not in edited]
        if unknown:
            raise UsageError(
                f"REV={unknown[0]} is not an edited applied revision (make db-verify lists them)"
            )
        accepted = ledger.accept(conn, script, wanted)
        conn.commit()
        return accepted


def refuse_unmanaged(load: Callable[[], sa.MetaData]) -> None:
    """Refuse to migrate a database that has our tables but no version table.

    The models are loaded first, so that a broken model module or plugin is named before
    anything runs, whatever the database holds.
    """
    metadata = load()
    with configured_connection() as conn:
        present = set(sa.inspect(conn).get_table_names())
    ours = sorted(present & set(metadata.tables))
    if ours and "alembic_version" not in present:
        shown = ", ".join(ours[:5]) + (", ..." if len(ours) > 5 else "")
        raise UnmanagedSchema(
            f"the database has tables ({shown}) but no alembic_version table: it was not built "
            "by these migrations. Nothing was changed. If its schema matches a revision, record "
            "that deliberately with make db-stamp REV=<revision>, then make db-up"
        )
