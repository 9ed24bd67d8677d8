<%!
def docstring(text):
    # Escape so that any message, even one with triple quotes or backslashes, stays inside.
    return text.replace("\\", "\\\\").replace('"', '\\"')
%>\
"""${docstring(context.get("message_text", message) or "")}

Revision ID: ${up_revision}
Revises: ${down_revision | comma,n}
Create Date: ${create_date}
"""

from collections.abc import Sequence

% if upgrades:
import sqlalchemy as sa
from alembic import op
% else:
# Kept for the operations written by hand (the post-write hook drops unused imports).
import sqlalchemy as sa  # noqa: F401
from alembic import op  # noqa: F401
% endif
${imports if imports else ""}

revision: str = ${repr(up_revision)}
down_revision: str | Sequence[str] | None = ${repr(down_revision)}
branch_labels: str | Sequence[str] | None = ${repr(branch_labels)}
depends_on: str | Sequence[str] | None = ${repr(depends_on)}

# What downgrade() discards for good, as "table" or "table.column"; () if nothing.
# Filled in from the downgrade's drops: confirm it. tests/test_fidelity.py checks it with data.
downgrade_loses: tuple[str, ...] = ${repr(tuple(context.get("downgrade_loses", ())))}


def upgrade() -> None:
    """Apply this revision."""
% for name, values in context.get("enum_types_added", ()):
    # PostgreSQL: the new column's enum type first (add_column does not make it); elsewhere a no-op.
    sa.Enum(${", ".join(repr(value) for value in values)}, name=${repr(name)}).create(op.get_bind())
% endfor
    ${upgrades if upgrades else "pass"}


def downgrade() -> None:
    """Revert this revision."""
    ${downgrades if downgrades else "pass"}
% for name in context.get("enum_types_created", ()):
    # PostgreSQL keeps a native enum's type when its table is dropped; elsewhere a no-op.
    sa.Enum(name=${repr(name)}).drop(op.get_bind())
% endfor
