"""CHECK constraints named as the models name them: ck_<table>_<name>

Revision ID: ea947c81d9ef
Revises: 66c37d7f92a7
Create Date: 2026-11-24 03:00:00+00:00

The initial schema named each enum's CHECK after the enum (``visibility``), while the models'
naming convention names it ``ck_<table>_visibility``. Autogenerate compares CHECK constraints
by name, so until both agree a new enum value would add a second CHECK beside the first. Only
names change: PostgreSQL renames in place; MariaDB drops and adds each CHECK in one ALTER
TABLE per table (it has no RENAME CONSTRAINT for CHECKs); SQLite rebuilds the table (batch).
"""

from collections.abc import Sequence

from alembic import op

revision: str = "ea947c81d9ef"
down_revision: str | Sequence[str] | None = "66c37d7f92a7"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# What the downgrade discards: nothing, only names change.
downgrade_loses: tuple[str, ...] = ()

VISIBILITY = "visibility IN ('private', 'team', 'public')"

# table -> ((the enum's name, its condition), ...), as the initial schema created them.
CHECKS: dict[str, tuple[tuple[str, str], ...]] = {
    "email_team_members": (("role", "role IN ('owner', 'member')"),),
    "email_teams": (("visibility", VISIBILITY),),
    "gateways": (
        ("transport", "transport IN ('sse', 'streamablehttp', 'stdio')"),
        ("visibility", VISIBILITY),
    ),
    "prompts": (("visibility", VISIBILITY),),
    "resources": (("visibility", VISIBILITY),),
    "servers": (("visibility", VISIBILITY),),
    "tools": (
        ("integration_type", "integration_type IN ('mcp', 'rest')"),
        ("visibility", VISIBILITY),
    ),
}


def _rename(*, forward: bool) -> None:
    dialect = op.get_context().dialect.name
    for table, checks in CHECKS.items():
        names = [(name, f"ck_{table}_{name}", condition) for name, condition in checks]
        if not forward:
            names = [(new, old, condition) for old, new, condition in names]
        if dialect == "postgresql":
            for old, new, _condition in names:
                op.execute(f"ALTER TABLE {table} RENAME CONSTRAINT {old} TO {new}")
        elif dialect in ("mysql", "mariadb"):
            changes = ", ".join(
                f"DROP CONSTRAINT {old}, ADD CONSTRAINT {new} CHECK ({condition})"
                for old, new, condition in names
            )
            op.execute(f"ALTER TABLE {table} {changes}")
        else:
            with op.batch_alter_table(table, schema=None) as batch_op:
                for old, new, condition in names:
                    batch_op.drop_constraint(old, type_="check")
                    batch_op.create_check_constraint(new, condition)


def upgrade() -> None:
    """Rename each enum's CHECK to ck_<table>_<name>."""
    _rename(forward=True)


def downgrade() -> None:
    """Give each CHECK its earlier name back."""
    _rename(forward=False)
