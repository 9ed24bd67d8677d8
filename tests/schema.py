"""A comparable snapshot of a live schema, and the differences allowed between backends."""

import contextlib
from typing import Any

import sqlalchemy as sa

BOOKKEEPING = frozenset({"alembic_version", "mcpgateway_revisions"})

# Where the backends store the same model differently, by design, and why. Keys are
# (generic type on PostgreSQL, the reference; what the other backend reflects).
ALLOWED_TYPE_DIFFERENCES: dict[tuple[str, str], str] = {
    ("BIGINTEGER", "INTEGER"): "SQLite auto-increments only INTEGER PRIMARY KEY (metric ids)",
    ("BOOLEAN", "INTEGER"): "MariaDB has no boolean type; BOOL is TINYINT(1)",
    ("JSON", "STRING"): "MariaDB's JSON is LONGTEXT with a json_valid CHECK",
}


# Names for one storage: PostgreSQL's FLOAT is double precision and reflects as DOUBLE.
SAME_TYPE = {"DOUBLE": "FLOAT", "DOUBLE_PRECISION": "FLOAT"}


def _type(column: dict[str, Any]) -> str:
    kind = column["type"]
    with contextlib.suppress(NotImplementedError):
        kind = kind.as_generic()
    name = type(kind).__name__.upper()
    name = SAME_TYPE.get(name, name)
    length = getattr(kind, "length", None)
    return f"{name}({length})" if name in ("STRING", "VARCHAR") and length else name


def snapshot(conn: sa.Connection) -> dict[str, Any]:
    """Tables with their columns (type, nullability), indexes, unique keys, CHECK constraint
    names and foreign keys."""
    inspector = sa.inspect(conn)
    result: dict[str, Any] = {}
    for table in sorted(set(inspector.get_table_names()) - BOOKKEEPING):
        uniques = {tuple(u["column_names"]) for u in inspector.get_unique_constraints(table)}
        indexes = set()
        for index in inspector.get_indexes(table):
            columns = tuple(index["column_names"])
            if index.get("unique") or columns in uniques:
                uniques.add(columns)  # MariaDB and SQLite report unique keys as indexes too
            else:
                indexes.add((index["name"], columns))
        result[table] = {
            "columns": {
                c["name"]: (_type(c), bool(c["nullable"])) for c in inspector.get_columns(table)
            },
            "indexes": indexes,
            "uniques": uniques,
            # By name: each backend writes the condition back its own way.
            "checks": {str(c["name"]) for c in inspector.get_check_constraints(table)},
            "foreign_keys": {
                (
                    tuple(fk["constrained_columns"]),
                    fk["referred_table"],
                    tuple(fk["referred_columns"]),
                    (fk.get("options") or {}).get("ondelete", "NO ACTION").upper(),
                )
                for fk in inspector.get_foreign_keys(table)
            },
        }
    return result
