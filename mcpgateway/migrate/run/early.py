"""``db-up``'s early load: on an empty PostgreSQL or MariaDB database, the core's schema file is
sent by a thread of its own as soon as the settings name the database, before this process has
imported Alembic, so the server builds the schema while this process imports and checks.
``run.fresh`` keeps it only once the file has proved current (the digest in its header is the
revision files', read with Alembic's own reading of alembic.ini) and the rest of the load (the
enabled plugins' files) has run after it; anything else undoes it before the revisions run.

How: ``run.early_thread`` (the file, checked before anything is sent; the thread),
``run.early_postgresql`` (one transaction), ``run.early_mariadb`` (marked, dropped to undo).
"""

import contextlib
from collections.abc import Iterator

from sqlalchemy.engine import make_url

from mcpgateway.config import get_settings
from mcpgateway.migrate.run.early_mariadb import MariadbLoad
from mcpgateway.migrate.run.early_postgresql import PostgresqlLoad
from mcpgateway.migrate.run.early_thread import EarlyLoad, core_paths

LOADS: dict[str, type[EarlyLoad]] = {
    "postgresql": PostgresqlLoad,
    "mysql": MariadbLoad,
    "mariadb": MariadbLoad,
}


@contextlib.contextmanager
def early_load() -> Iterator[EarlyLoad | None]:
    """A plain ``db-up``'s early load, if the configured database is PostgreSQL or MariaDB,
    schema files are on and the core has a file for it; undone on the way out unless kept."""
    settings = get_settings()
    backend = make_url(settings.database_url).get_backend_name()
    load = LOADS.get(backend) if settings.migration_schema_files else None
    found = core_paths(backend) if load is not None else None
    if load is None or found is None:
        yield None
        return
    early = load(*found)
    try:
        yield early
    finally:
        early.close()
