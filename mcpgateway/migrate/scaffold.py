"""``make plugin-new NAME=...``: the files of a new in-tree plugin, with a checked name."""

import keyword
from pathlib import Path

from mcpgateway.errors import UsageError
from mcpgateway.migrate.models import load_core_models
from mcpgateway.migrate.plugins import IN_TREE_PACKAGE, RESERVED_NAMES, Plugin, discover

INIT_TEMPLATE = '''"""The {name} plugin: its tables are in models.py, its revisions in versions/."""
'''

MODELS_TEMPLATE = '''"""Tables of the {name} plugin; every name starts with "{name}_"."""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from mcpgateway.db.base import UUID_LENGTH, Base, TimestampMixin, UUIDPrimaryKey


class {class_name}Item(UUIDPrimaryKey, TimestampMixin, Base):
    """A sample row attached to a core tool; rename and extend it."""

    __tablename__ = "{name}_items"

    tool_id: Mapped[str] = mapped_column(
        sa.String(UUID_LENGTH), sa.ForeignKey("tools.id", ondelete="CASCADE"), index=True
    )
    label: Mapped[str] = mapped_column(sa.String(255))
    expires_at: Mapped[datetime | None]
'''


def check_name(name: str) -> None:
    """Refuse a name that is not a lowercase identifier or that clashes with anything."""
    if not name:
        raise UsageError("NAME is required, e.g. make plugin-new NAME=audit")
    if not name.isidentifier() or keyword.iskeyword(name) or name != name.lower():
        raise UsageError(f"NAME={name} must be a lowercase Python identifier, e.g. audit_log")
    if name in RESERVED_NAMES:
        raise UsageError(f"NAME={name} is reserved (Alembic or the core use it); pick another")
    existing = discover()
    if name in existing:
        raise UsageError(f"NAME={name}: plugin {name} exists already ({existing[name].source})")
    prefix = f"{name}_"
    for table in load_core_models().tables:
        if table == name or table.startswith(prefix):
            raise UsageError(f"NAME={name} clashes with core table {table!r}; pick another")
    for other in existing.values():
        if other.table_prefix.startswith(prefix) or prefix.startswith(other.table_prefix):
            raise UsageError(f"NAME={name}: its tables would mix with plugin {other.name}'s")


def create_plugin(name: str, *, root: Path) -> Plugin:
    """Write ``root/<name>/`` with ``__init__.py``, ``models.py`` and an empty ``versions/``."""
    check_name(name)
    folder = root / name
    if folder.exists():
        raise UsageError(f"NAME={name}: {folder} exists already; nothing was written")
    (folder / "versions").mkdir(parents=True)
    (folder / "__init__.py").write_text(INIT_TEMPLATE.format(name=name), encoding="utf-8")
    class_name = "".join(part.capitalize() for part in name.split("_"))
    (folder / "models.py").write_text(
        MODELS_TEMPLATE.format(name=name, class_name=class_name), encoding="utf-8"
    )
    return Plugin(name, f"{IN_TREE_PACKAGE}.{name}", folder, "in-tree")
