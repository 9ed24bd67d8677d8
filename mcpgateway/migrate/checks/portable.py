"""Every backend must be able to create what the models and the revisions declare.

A type one backend cannot compile (``String`` without a length on MariaDB/MySQL) passes on
the backend a developer happens to use, then stops a MariaDB deploy part-way through a
revision. It is named here, table and column and backend, before anything is written or run:
by db-new and db-check for the models, by db-lint for a revision, and by db-up on MariaDB for
every pending revision before its first statement.
"""

import sqlalchemy as sa
from sqlalchemy.engine import make_url
from sqlalchemy.exc import CompileError

from mcpgateway.errors import ToolkitError

BACKENDS: dict[str, sa.Dialect] = {
    backend: make_url(f"{name}://").get_dialect()()
    for backend, name in (
        ("PostgreSQL", "postgresql"),
        ("MariaDB/MySQL", "mysql"),
        ("SQLite", "sqlite"),
    )
}


class UnportableModel(ToolkitError):
    """A model column whose type some backend cannot create."""


def _advice(column: sa.Column[object]) -> str:
    if isinstance(column.type, sa.String) and not column.type.length:
        return "give it a length, e.g. sa.String(255), or use sa.Text"
    return "use a type every backend has, or a TypeDecorator that picks one per dialect"


# PostgreSQL keeps 63 bytes of a name and cuts the rest silently; MariaDB refuses beyond 64.
LONGEST_NAME = 63


def _too_long(kind: str, name: str, where: str = "") -> str | None:
    size = len(name.encode("utf-8"))
    if size <= LONGEST_NAME:
        return None
    return (
        f"model {kind} {where}{name} is {size} bytes long; PostgreSQL keeps {LONGEST_NAME} "
        "and cuts the rest, so every later comparison would see another name: shorten it. "
        "Nothing was written or run"
    )


def unportable(metadata: sa.MetaData) -> str | None:
    """The first model table or column some backend cannot create as named, in words; None if
    there is none. (Constraint and index names are shortened by SQLAlchemy, the same way on
    every run.)"""
    for table in metadata.sorted_tables:
        found = _too_long("table", table.name)
        if found:
            return found
        for column in table.columns:
            found = _too_long("column", column.name, f"{table.name}.")
            if found:
                return found
            for backend, dialect in BACKENDS.items():
                try:
                    column.type.compile(dialect=dialect)
                except CompileError as exc:
                    reason = str(exc).splitlines()[0]
                    return (
                        f"model column {table.name}.{column.name} cannot be created on {backend}"
                        f" ({reason}): {_advice(column)}. Nothing was written or run"
                    )
    return None


def require_portable(metadata: sa.MetaData) -> None:
    """Raise UnportableModel naming the first column some backend cannot create."""
    found = unportable(metadata)
    if found:
        raise UnportableModel(found)
