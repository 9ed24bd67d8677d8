"""An autogenerate plugin: a CHECK constraint whose condition changed is a change.

Alembic compares CHECK constraints by name only when asked (``alembic.ext.checkconstraint_
byname``: one added or removed), and treats two of the same name as equal whatever their
conditions say. A new enum value changes the condition of the enum's CHECK; without this, db-new
writes nothing for it and db-check passes. Here the two conditions are compared after each
backend's rewriting is undone (PostgreSQL stores ``x IN (...)`` as ``(x)::text = ANY
(ARRAY[...])``; MariaDB quotes names with backticks), and a difference becomes a drop and an add
of the constraint, as Alembic's own plugin writes them.

Registered with Alembic's plugin API by ``register()`` (env.py, before autogenerate runs), and
named in ``autogenerate_plugins`` beside Alembic's own.
"""

import contextlib
import re
import sys
from itertools import chain
from typing import Any

import sqlalchemy as sa
from alembic.operations import ops
from alembic.runtime.plugins import Plugin
from alembic.util import PriorityDispatchResult

from mcpgateway.migrate.render import condition_sql

NAME = "mcpgateway.check_text"

_CAST = re.compile(r"::\s*[a-z_]+(?:\s+varying)?(?:\s*\[\])?")
_ANY_ARRAY = re.compile(r"=\s*any\s*\(+\s*array\s*\[(.*?)\]\s*\)+")
_NOISE = re.compile(r"[\s()`\"]")


# Functions MariaDB writes back under another name.
_SYNONYMS = re.compile(r"\b(octet_length|char_length|character_length)\s*\(")
_PORTABLE_CAST = re.compile(r"::\s*[a-z_]+(?:\s+varying)?(?:\s*\[\])?", re.IGNORECASE)
_PORTABLE_ANY = (
    re.compile(r"=\s*ANY\s*\(\s*\(\s*ARRAY\s*\[(.*?)\]\s*\)\s*\)", re.IGNORECASE),
    re.compile(r"=\s*ANY\s*\(\s*ARRAY\s*\[(.*?)\]\s*\)", re.IGNORECASE),
)


def normalized(condition: str) -> str:
    """A CHECK condition with each backend's rewriting undone, for comparison only."""
    text = _CAST.sub("", condition.lower())
    text = _ANY_ARRAY.sub(r" in (\1)", text)
    text = _SYNONYMS.sub("length(", text)
    return _NOISE.sub("", text)


def portable(condition: str) -> str:
    """A condition as a database wrote it back, in SQL every backend reads: PostgreSQL's casts
    and ``= ANY (ARRAY[...])`` as ``IN (...)``, MariaDB's backticks gone. The downgrade puts
    the old CHECK back with it, on whichever backend runs it."""
    text = _PORTABLE_CAST.sub("", condition)
    for pattern in _PORTABLE_ANY:
        text = pattern.sub(r" IN (\1)", text)
    return text.replace("`", "")


def _metadata_checks(table: sa.Table, dialect: sa.Dialect) -> dict[str, sa.CheckConstraint]:
    """The table's named CHECKs (its own, its columns', its enums'), by their name in the
    database (the naming convention applied)."""
    found = chain(table.constraints, *(column.constraints for column in table.columns))
    checks: dict[str, sa.CheckConstraint] = {}
    for check in found:
        if isinstance(check, sa.CheckConstraint) and check.name is not None:
            name = dialect.identifier_preparer.format_constraint(check)
            if name:
                checks[str(name).strip('"`')] = check
    return checks


def compare_check_text(
    autogen_context: Any,
    modify_table_ops: ops.ModifyTableOps,
    schema: str | None,
    tname: str,
    conn_table: sa.Table | None,
    metadata_table: sa.Table | None,
) -> PriorityDispatchResult:
    """Drop and add each CHECK whose name both sides have and whose condition differs."""
    if conn_table is None or metadata_table is None or autogen_context.inspector is None:
        return PriorityDispatchResult.CONTINUE
    dialect = autogen_context.dialect
    try:
        reflected = autogen_context.inspector.get_check_constraints(tname, schema=schema)
    except NotImplementedError:
        return PriorityDispatchResult.CONTINUE
    wanted = _metadata_checks(metadata_table, dialect)
    for found in reflected:
        name = found.get("name")
        check = wanted.get(str(name)) if name else None
        if check is None:
            continue
        if normalized(found["sqltext"]) == normalized(condition_sql(check, dialect)):
            continue
        old = sa.CheckConstraint(sa.text(portable(found["sqltext"])), name=name, table=conn_table)
        modify_table_ops.ops.append(ops.DropConstraintOp.from_constraint(old))
        modify_table_ops.ops.append(ops.AddConstraintOp.from_constraint(check))
    return PriorityDispatchResult.CONTINUE


def setup(plugin: Plugin) -> None:
    """Alembic's plugin entry: compare CHECK conditions for every table."""
    plugin.add_autogenerate_comparator(compare_check_text, "table", "check_text")


def register() -> None:
    """Make the plugin known to Alembic, once per process."""
    with contextlib.suppress(ValueError):  # "already registered": done earlier in this process
        Plugin.setup_plugin_from_module(sys.modules[__name__], NAME)
