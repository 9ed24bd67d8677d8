"""What autogenerate writes for types and server defaults, so a revision means the same on
every backend and never imports the application.

- A custom ``TypeDecorator`` is written as the type it stores (its ``impl``): the revision
  would otherwise name the application's module without importing it.
- An enum's CHECK is written out as a ``sa.CheckConstraint`` with its final name
  (``ck_<table>_<enum>``), and the enum type without it: left to the type, the CHECK would be
  named after the enum when the revision runs, which has no naming convention.
- ``sa.false()``, ``sa.true()`` and ``func.now()`` server defaults are written as those
  expressions, compiled by each backend when the revision runs. Rendered as text they would
  carry the backend the revision was generated against (SQLite's ``0`` is no boolean on
  PostgreSQL).
"""

from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine.default import DefaultDialect
from sqlalchemy.sql import elements, functions

from mcpgateway.migrate import compat

# Server defaults that mean "now", as each backend reports them back.
_NOW = frozenset({"now()", "current_timestamp", "current_timestamp()", "localtimestamp"})
_FALSE = frozenset({"0", "false", "b'0'"})
_TRUE = frozenset({"1", "true", "b'1'"})


def render_item(type_: str, obj: Any, autogen_context: Any) -> str | bool:
    """Alembic's ``render_item`` hook; False leaves an item to Alembic's own rendering."""
    if type_ == "type" and isinstance(obj, sa.types.TypeDecorator):
        return compat.render_type(obj.impl_instance, autogen_context)
    if type_ == "type" and _reflected_dialect_type(obj, autogen_context):
        return compat.render_type(_generic(obj), autogen_context)
    if type_ == "type" and isinstance(obj, sa.Enum) and obj.create_constraint:
        return compat.render_type(_without_check(obj), autogen_context)
    if type_ == "check" and compat.is_type_bound(obj):
        return _explicit_check(obj, autogen_context)
    if type_ == "server_default" and isinstance(obj, sa.schema.DefaultClause):
        arg = obj.arg
        if isinstance(arg, elements.False_):
            return "sa.false()"
        if isinstance(arg, elements.True_):
            return "sa.true()"
        if isinstance(arg, functions.now | functions.current_timestamp):
            return "sa.func.now()"
    return False


def _reflected_dialect_type(kind: Any, autogen_context: Any) -> bool:
    """A type Alembic read from the database (a dropped table's columns, an altered column's
    existing type), not one the models chose, in a backend's own spelling (MariaDB's BIGINT,
    SQLite's DATETIME): it is written generic, so the revision runs on every backend."""
    models = getattr(autogen_context, "metadata", None)
    if isinstance(models, sa.MetaData):
        chosen = {id(c.type) for table in models.tables.values() for c in table.columns}
        if id(kind) in chosen:
            return False
    try:
        return type(_generic(kind)) is not type(kind)
    except NotImplementedError:
        return False


def _generic(kind: Any) -> Any:
    """The generic type a backend's type stands for (MariaDB's TINYINT(1) is a Boolean)."""
    if type(kind).__name__ == "TINYINT" and getattr(kind, "display_width", None) == 1:
        return sa.Boolean()
    generic = kind.as_generic()
    if type(generic) is sa.String and not generic.length:  # MariaDB's LONGTEXT and its JSON
        return sa.Text()
    return generic


def _without_check(enum: sa.Enum) -> sa.Enum:
    """The enum without the CHECK it would make: the revision writes that CHECK itself."""
    return sa.Enum(
        *enum.enums,
        name=enum.name,
        native_enum=enum.native_enum,
        length=enum.length,
        create_constraint=False,
    )


def condition_sql(check: sa.CheckConstraint, dialect: sa.Dialect) -> str:
    """A CHECK's condition as ``dialect`` writes it, values inline, columns unqualified."""
    compiled = check.sqltext.compile(
        dialect=dialect, compile_kwargs={"literal_binds": True, "include_table": False}
    )
    return str(compiled)


def _explicit_check(check: sa.CheckConstraint, autogen_context: Any) -> str:
    """An enum's CHECK as its own ``sa.CheckConstraint``, under its final name. Alembic hands
    over a copy made without the naming convention, so the name is the models' own: the CHECK
    of the models' table with the same condition."""
    dialect = DefaultDialect()
    condition = condition_sql(check, dialect)
    name = str(check.name)
    models = getattr(autogen_context, "metadata", None)
    table = models.tables.get(check.table.name) if isinstance(models, sa.MetaData) else None
    if table is not None:
        for original in table.constraints:
            if not isinstance(original, sa.CheckConstraint) or original.name is None:
                continue
            if condition_sql(original, dialect) == condition:
                name = str(dialect.identifier_preparer.format_constraint(original)).strip('"')
    return f"sa.CheckConstraint({condition!r}, name=op.f({name!r}))"


def _meaning(default: str | None) -> str | None:
    """A server default as the same thing on every backend: "false", "true", "now"."""
    if default is None:
        return None
    text = default.strip().lower()
    while text.startswith("(") and text.endswith(")"):
        text = text[1:-1].strip()
    text = text.strip("'\"")
    if text in _NOW:
        return "now"
    if text in _FALSE:
        return "false"
    if text in _TRUE:
        return "true"
    return None


def compare_server_default(
    _context: Any,
    _inspected_column: Any,
    _metadata_column: Any,
    inspected_default: str | None,
    _metadata_default: Any,
    rendered_metadata_default: str | None,
) -> bool | None:
    """Alembic's ``compare_server_default`` hook: the same boolean or "now" written the way
    the backend reports it (MariaDB's ``0`` for false, ``current_timestamp()`` for now()) is no
    change; anything else is left to Alembic's comparison (None)."""
    seen, wanted = _meaning(inspected_default), _meaning(rendered_metadata_default)
    if seen is not None and seen == wanted:
        return False
    return None
