"""Synthetic histories for ``make bench``: a copy of the project whose core history is N
revisions over T tables (each with indexes and a foreign key to the table before it), and
models that match them exactly, so db-check and autogenerate have real work to compare."""

import shutil
from pathlib import Path

COPY_IGNORE = shutil.ignore_patterns(
    ".venv", ".git", "tests", "*.db", "*.db-*", "__pycache__", ".*_cache", ".env", "backups"
)
MODELS_INIT = '''"""Synthetic models for make bench."""

from mcpgateway.db.base import Base
from mcpgateway.db.models import bench

metadata = Base.metadata
__all__ = ["Base", "bench", "metadata"]
'''

# Plain Alembic for the comparison: the generic template's env.py, untouched but for where the
# URL and the models come from, over the very same versions folder.
PLAIN_INI = """[alembic]
script_location = %(here)s/plain_alembic
version_locations = %(here)s/alembic/versions
path_separator = os

[loggers]
keys = root

[handlers]
keys = console

[formatters]
keys = generic

[logger_root]
level = WARNING
handlers = console

[handler_console]
class = StreamHandler
args = (sys.stderr,)
formatter = generic

[formatter_generic]
format = %(levelname)-5.5s [%(name)s] %(message)s
"""
PLAIN_ENV = '''"""Alembic's generic env.py; the URL from DATABASE_URL, the models' metadata."""

import os
from logging.config import fileConfig

from alembic import context
from sqlalchemy import engine_from_config, pool

from mcpgateway.config import normalize_database_url
from mcpgateway.db.models import metadata

config = context.config
if config.config_file_name is not None:
    fileConfig(config.config_file_name)
target_metadata = metadata
url = normalize_database_url(os.environ["DATABASE_URL"])


def not_ours(name, type_, _parent):  # the toolkit's checksum table, left by db-up
    return not (type_ == "table" and name == "mcpgateway_revisions")


def run_migrations_offline() -> None:
    """Emit SQL."""
    context.configure(url=url, target_metadata=target_metadata, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    """Run on a connection."""
    connectable = engine_from_config(
        {"sqlalchemy.url": url}, prefix="sqlalchemy.", poolclass=pool.NullPool
    )
    with connectable.connect() as connection:
        context.configure(
            connection=connection, target_metadata=target_metadata, include_name=not_ours
        )
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
'''

REVISION = '''"""bench {index}"""

import sqlalchemy as sa
from alembic import op

revision = "{rev}"
down_revision = {down!r}
branch_labels = {labels!r}
depends_on = None
downgrade_loses = {tables!r}


def upgrade() -> None:
    """Create {count} tables."""
{creates}

def downgrade() -> None:
    """Drop them."""
{drops}
'''

CREATE = """    op.create_table(
        "{table}",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("value", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("parent_id", sa.String(length=36), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_{table}"),{fk}
    )
    op.create_index("ix_{table}_name", "{table}", ["name"], unique=False)
    op.create_index("ix_{table}_parent_id", "{table}", ["parent_id"], unique=False)
"""
FK = """
        sa.ForeignKeyConstraint(
            ["parent_id"], ["{parent}.id"], name="fk_{table}_parent_id_{parent}", ondelete="CASCADE"
        ),"""

MODELS_HEAD = '''"""Synthetic tables for make bench."""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from mcpgateway.db.base import Base
'''
MODEL = """

class T{index:04d}(Base):
    __tablename__ = "{table}"
    id: Mapped[str] = mapped_column(sa.String(36), primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(255), index=True)
    value: Mapped[int | None]
    created_at: Mapped[datetime]
    parent_id: Mapped[str | None] = mapped_column(
        sa.String(36), {fk}index=True
    )
"""


def table_name(index: int) -> str:
    """The synthetic table number ``index``."""
    return f"bench_t{index:04d}"


def revision_id(index: int) -> str:
    """A stable 12-hex revision id for revision number ``index``."""
    return f"be{index:010x}"


def build(root: Path, source: Path, *, revisions: int, tables: int) -> Path:
    """Copy ``source`` to ``root`` and replace its core history and models; returns root."""
    if root.exists():
        shutil.rmtree(root)
    top = source.resolve()

    def ignore(folder: str, names: list[str]) -> set[str]:
        # make bench's own output folder, at the top only (not mcpgateway/migrate/bench).
        own = {"bench"} & set(names) if Path(folder).resolve() == top else set()
        return set(COPY_IGNORE(folder, names)) | own

    shutil.copytree(source, root, ignore=ignore)
    versions = root / "alembic" / "versions"
    for old in versions.glob("*.py"):
        old.unlink()
    (root / "alembic" / "lint-baseline").unlink(missing_ok=True)
    # The source's schema files describe its history, not this one: db-check would fail on
    # them and db-new rewrite them; the bench times the commands, as plain Alembic has none.
    shutil.rmtree(root / "alembic" / "schema", ignore_errors=True)
    per = max(1, tables // revisions)
    models = [MODELS_HEAD]
    for number in range(revisions):
        first = number * per
        names = [table_name(i) for i in range(first, first + per)]
        creates = []
        for i in range(first, first + per):
            fk = FK.format(table=table_name(i), parent=table_name(i - 1)) if i else ""
            creates.append(CREATE.format(table=table_name(i), fk=fk))
            model_fk = f'sa.ForeignKey("{table_name(i - 1)}.id", ondelete="CASCADE"), ' if i else ""
            models.append(MODEL.format(index=i, table=table_name(i), fk=model_fk))
        drops = "".join(f'    op.drop_table("{name}")\n' for name in reversed(names))
        text = REVISION.format(
            index=number,
            rev=revision_id(number),
            down=revision_id(number - 1) if number else None,
            labels=("core",) if number == 0 else None,
            tables=tuple(names),
            count=per,
            creates="".join(creates),
            drops=drops,
        )
        (versions / f"{number:05d}_bench_{number}.py").write_text(text, encoding="utf-8")
    model_dir = root / "mcpgateway" / "db" / "models"
    for module in model_dir.glob("*.py"):
        module.unlink()
    (model_dir / "__init__.py").write_text(MODELS_INIT, encoding="utf-8")
    (model_dir / "bench.py").write_text("".join(models), encoding="utf-8")
    plain = root / "plain_alembic"
    plain.mkdir()
    (plain / "env.py").write_text(PLAIN_ENV, encoding="utf-8")
    shutil.copy(root / "alembic" / "script.py.mako", plain / "script.py.mako")
    (root / "plain_alembic.ini").write_text(PLAIN_INI, encoding="utf-8")
    plugins = root / "mcpgateway" / "plugins"
    for plugin in plugins.iterdir():
        if plugin.is_dir() and (plugin / "versions").exists():
            shutil.rmtree(plugin)  # the bench measures the core's history alone
    return root
