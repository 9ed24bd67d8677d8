"""Throwaway databases on the servers the toolkit compares against: a fresh, empty database
of a backend, dropped afterwards (make bench, make db-schema). The server is reached through a
URL variable of the caller's (BENCH_POSTGRES_URL, SCHEMA_POSTGRES_URL, ...), by default the
local development servers."""

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import make_url

from mcpgateway.config import mask_url, normalize_database_url
from mcpgateway.errors import DatabaseUnreachable, SettingsError

# The URL schemes (SQLAlchemy backend names) a server of each backend may be named by.
SERVER_KINDS = {
    "postgresql": ("postgresql",),
    "mariadb": ("mysql", "mariadb"),
    "mysql": ("mysql", "mariadb"),
}
DEFAULT_SERVERS = {
    "postgresql": "postgresql://postgres@127.0.0.1:5432/postgres",
    "mariadb": "mysql://root@127.0.0.1:3306/mysql",
}


@contextmanager
def scratch_database(
    backend: str, folder: Path, *, variable: str, prefix: str, hint: str = ""
) -> Iterator[str]:
    """A fresh, empty database of ``backend`` (a file in ``folder`` for SQLite, else one made
    on the server ``variable`` names); dropped afterwards. An unreachable server is one
    DatabaseUnreachable naming the variable."""
    if backend == "sqlite":
        path = folder / f"{prefix}-{uuid.uuid4().hex[:8]}.db"
        try:
            yield f"sqlite:///{path}"
        finally:
            for leftover in folder.glob(f"{path.name}*"):
                leftover.unlink()
        return
    try:
        admin_url = make_url(
            normalize_database_url(os.environ.get(variable) or DEFAULT_SERVERS[backend], variable)
        )
    except ValueError as exc:
        raise SettingsError(str(exc)) from None
    got = admin_url.get_backend_name()
    if got not in SERVER_KINDS[backend]:
        raise SettingsError(
            f"{variable} must name a {backend} server "
            f"({' or '.join(f'{kind}://' for kind in SERVER_KINDS[backend])}...), not {got}"
        )
    name = f"mcpgw_{prefix}_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool)
    reached = False
    try:
        # Inside the try: an interrupt just as the server makes it still drops it below.
        try:
            with admin.connect() as conn:
                reached = True
                conn.exec_driver_sql(f"CREATE DATABASE {name}")
        except sa.exc.OperationalError as exc:
            if reached:
                raise
            raise DatabaseUnreachable(
                f"cannot reach {backend} at {mask_url(admin_url)} "
                f"({str(exc.orig).strip().splitlines()[0]}); set {variable}{hint}"
            ) from None
        yield admin_url.set(database=name).render_as_string(hide_password=False)
    finally:
        if reached:
            with admin.connect() as conn:
                force = " WITH (FORCE)" if backend == "postgresql" else ""
                conn.exec_driver_sql(f"DROP DATABASE IF EXISTS {name}{force}")
        admin.dispose()
