"""A comparable snapshot of a live schema, and the differences allowed between backends."""

import contextlib
import os
import re
import subprocess
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import make_url

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
    """Tables with their columns (type, nullability), indexes, unique keys and foreign keys."""
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


_PG_NOISE = re.compile(r"^(--.*|SET .*|SELECT pg_catalog\.set_config.*|\\(un)?restrict .*)$")


def dump(url: str) -> str:
    """The schema as the database's own tool dumps it, and every row of the version table and
    the ledger's revisions: what "the database ends up as" means in a comparison. Lines that
    name the tool, its version or the moment are left out."""
    parsed = make_url(url)
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
        with engine.connect() as conn:
            rows = conn.exec_driver_sql(
                "SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name"
            ).all()
        engine.dispose()
        schema = "\n".join(" | ".join(str(v) for v in row) for row in rows)
    elif backend == "postgresql":
        out = subprocess.run(
            [
                "pg_dump",
                "--schema-only",
                "--no-owner",
                "--no-privileges",
                "-h",
                parsed.host or "127.0.0.1",
                "-p",
                str(parsed.port or 5432),
                "-U",
                parsed.username or "postgres",
                parsed.database or "",
            ],
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, "PGPASSWORD": parsed.password or ""},
        ).stdout
        schema = "\n".join(
            line for line in out.splitlines() if line.strip() and not _PG_NOISE.match(line)
        )
    else:
        out = subprocess.run(
            [
                "mariadb-dump",
                "--no-data",
                "--skip-comments",
                "--skip-dump-date",
                "--routines",
                "--triggers",
                "-h",
                parsed.host or "127.0.0.1",
                "-P",
                str(parsed.port or 3306),
                "-u",
                parsed.username or "root",
                parsed.database or "",
            ],
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, "MYSQL_PWD": parsed.password or ""},
        ).stdout
        schema = re.sub(r" AUTO_INCREMENT=\d+", "", out)
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    with engine.connect() as conn:
        versions = sorted(conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalars())
    engine.dispose()
    return schema + "\n-- alembic_version: " + ", ".join(versions)
