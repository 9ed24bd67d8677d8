"""Throwaway databases on each backend: the toolkit's own pytest plugin
(``mcpgateway.migrate.testing``) provisions them; this adds logins and second databases."""

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy.engine import make_url

from mcpgateway.migrate.testing import (
    ALL_BACKENDS,
    BACKENDS,
    admin_engine,
    provisioned,
    selected_backends,
    server_url,
    unreachable,
)

__all__ = [
    "ALL_BACKENDS",
    "BACKENDS",
    "provisioned",
    "selected_backends",
    "server_url",
    "unreachable",
]


@contextmanager
def login_with_password(database_url: str, password: str) -> Iterator[str]:
    """Yield a URL for the same database as a new login that has ``password``; drop it after."""
    url = make_url(database_url)
    backend = url.get_backend_name()
    user = f"mcpgw_user_{uuid.uuid4().hex[:8]}"
    admin = admin_engine("postgresql" if backend == "postgresql" else "mysql")
    # exec_driver_sql hands the statement to a pyformat driver, so '%' must be doubled too.
    literal = password.replace("'", "''").replace("%", "%%")
    if backend == "postgresql":
        create = [
            f"CREATE ROLE {user} LOGIN PASSWORD '{literal}'",
            f'ALTER DATABASE "{url.database}" OWNER TO {user}',
        ]
        # The role owns the migrated tables, so its database goes first (the database
        # fixture's own drop is IF EXISTS).
        drop = [f'DROP DATABASE IF EXISTS "{url.database}" WITH (FORCE)', f"DROP ROLE {user}"]
    else:
        create = [
            f"CREATE USER '{user}'@'%%' IDENTIFIED BY '{literal}'",
            f"GRANT ALL ON `{url.database}`.* TO '{user}'@'%%'",
        ]
        drop = [f"DROP USER '{user}'@'%%'"]
    try:
        with admin.connect() as conn:
            for statement in create:
                conn.exec_driver_sql(statement)
        yield url.set(username=user, password=password).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            for statement in drop:
                conn.exec_driver_sql(statement)
        admin.dispose()


@contextmanager
def another_database(url: str) -> Iterator[str]:
    """A second new, empty database on the same backend as ``url``; dropped afterwards."""
    parsed = make_url(url)
    backend = {"mariadb": "mysql"}.get(parsed.get_backend_name(), parsed.get_backend_name())
    if backend == "sqlite":
        folder = Path(parsed.database or ".").parent / f"another-{uuid.uuid4().hex[:8]}"
        folder.mkdir()
        with provisioned(backend, folder) as other:
            yield other
        return
    with provisioned(backend, Path(".")) as other:
        yield other
