"""Run a revision's ``upgrade()`` offline for one dialect, recording each operation and the SQL.

Alembic's offline (``--sql``) mode gives the statements without a database. Two hooks watch it:
``Operations.invoke`` (every ``op.*`` call, batch ones included) and the output buffer (every
statement). Both note the line of the revision file that was running, so a finding points at
the operation that caused it, even when a helper or a batch block emitted the SQL.
"""

import io
import sys
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

from alembic.operations import Operations
from alembic.operations.ops import MigrateOperation
from alembic.runtime.migration import MigrationContext
from sqlalchemy.exc import CompileError

from mcpgateway.migrate import compat

DIALECTS = ("postgresql", "mysql", "sqlite")
BACKFILL = "backfill"  # its UPDATEs are batched by design
BACKFILL_MODULE = "mcpgateway.migrate.helpers.backfill"


@dataclass
class Recorded:
    """One ``op.*`` call: the operation, the revision line, and how it was called."""

    operation: MigrateOperation
    line: int
    batched_backfill: bool


@dataclass
class Rebuild:
    """A SQLite batch block that copies its table (move and copy)."""

    table: str
    line: int


@dataclass
class Rendering:
    """What one dialect's offline run of ``upgrade()`` produced."""

    dialect: str
    operations: list[Recorded] = field(default_factory=list)
    rebuilds: list[Rebuild] = field(default_factory=list)
    sql_lines: list[tuple[str, int]] = field(default_factory=list)  # (text, revision line)
    failure: str | None = None
    failure_line: int = 0
    uncompilable: bool = False  # the failure: this dialect cannot compile what it declares
    broken: bool = False  # the failure: the revision's own code fails (a name it lacks)
    function: str = "upgrade"

    @property
    def sql(self) -> str:
        return "".join(text for text, _line in self.sql_lines)


def _revision_line(path: Path) -> tuple[int, bool]:
    """The line of ``path`` running now (innermost frame), and whether backfill() is on the way."""
    frame: Any = sys._getframe(1)  # the callers' frames are the only way to see the line
    target = str(path)
    via_backfill = False
    while frame is not None:
        if frame.f_code.co_filename == target:
            return frame.f_lineno, via_backfill
        if frame.f_code.co_name == BACKFILL and frame.f_globals.get("__name__") == BACKFILL_MODULE:
            via_backfill = True
        frame = frame.f_back
    return 0, via_backfill


class _LineBuffer(io.StringIO):
    """The offline output, each piece tagged with the revision line that wrote it."""

    def __init__(self, path: Path, rendering: Rendering) -> None:
        super().__init__()
        self.path, self.rendering = path, rendering

    def write(self, text: str) -> int:
        line, _ = _revision_line(self.path)
        for piece in text.splitlines(keepends=True):
            self.rendering.sql_lines.append((piece, line))
        return super().write(text)


class _Discard(io.TextIOBase):
    def write(self, text: str) -> int:
        return len(text)


def _watching(path: Path, rendering: Rendering) -> AbstractContextManager[None]:
    def on_invoke(operation: MigrateOperation) -> None:
        line, via_backfill = _revision_line(path)
        rendering.operations.append(Recorded(operation, line, via_backfill))

    def on_flush(table: str, recreates: bool) -> bool:
        if rendering.dialect == "sqlite" and recreates:
            rendering.rebuilds.append(Rebuild(table, _revision_line(path)[0]))
            return (
                False  # offline, the copy would need the live table; what matters is that it copies
            )
        return True

    return compat.intercept_operations(on_invoke, on_flush)


# Failures that are the revision's own fault wherever it runs, not the offline render's.
BROKEN = (NameError, ImportError)


def render(
    module: ModuleType,
    path: Path,
    dialect: str,
    function: str = "upgrade",
    *,
    recorded: bool = True,
) -> Rendering:
    """Run ``module.upgrade()`` (or ``downgrade()``) offline for ``dialect`` inside one
    transaction, as db-up (db-down) would. Not ``recorded``: the operations, lines and SQL are
    not kept, only whether and how it failed (a third of the cost)."""
    rendering = Rendering(dialect, function=function)
    buffer = _LineBuffer(path, rendering) if recorded else _Discard()
    context = MigrationContext.configure(
        dialect_name=dialect,
        opts={"as_sql": True, "output_buffer": buffer, "literal_binds": True},
    )
    transactional = context.impl.transactional_ddl
    watching = _watching(path, rendering) if recorded else nullcontext()
    with watching, Operations.context(context):
        if transactional:
            context.impl.emit_begin()
        try:
            getattr(module, function)()
        except Exception as exc:  # a revision that cannot render offline: say where and why
            rendering.failure = f"{type(exc).__name__}: {str(exc).splitlines()[0]}"
            rendering.failure_line = _failure_line(exc, path)
            rendering.uncompilable = isinstance(exc, CompileError)
            rendering.broken = isinstance(exc, BROKEN)
        if transactional:
            context.impl.emit_commit()
    return rendering


def _failure_line(exc: BaseException, path: Path) -> int:
    tb, line = exc.__traceback__, 0
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == str(path):
            line = tb.tb_lineno
        tb = tb.tb_next
    return line
