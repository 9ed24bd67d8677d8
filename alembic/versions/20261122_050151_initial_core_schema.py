"""initial core schema

Revision ID: 944f8b89e0f2
Revises:
Create Date: 2026-11-22 05:01:51.811574+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from mcpgateway.migrate.helpers import (
    create_ownership_indexes,
    drop_tables,
    ownership_columns,
    timestamp_columns,
    uuid_primary_key,
)

revision: str = "944f8b89e0f2"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = ("core",)
depends_on: str | Sequence[str] | None = None

# The values this revision was written with; the models may change, this file does not.
UUID_LENGTH = 36
OWNERSHIP = {
    "visibility": ("private", "team", "public"),
    "default": "private",
    "id_length": UUID_LENGTH,
    "email_length": 255,
}

# This file was rewritten without changing a statement it runs (the helpers moved to
# mcpgateway.migrate and take their values from here); databases that ran the earlier form
# recorded this checksum. tests/test_revisions_stable.py compares the SQL of both forms.
previous_checksums: tuple[str, ...] = (
    "3fb73c487072a026f4158eef1fc2445085fd6231044f300aae22c98eacd9e40a",
)

# What downgrade() discards for good, as "table" or "table.column"; () if nothing.
downgrade_loses: tuple[str, ...] = (
    "email_users",
    "email_teams",
    "email_team_members",
    "gateways",
    "servers",
    "prompts",
    "resources",
    "server_metrics",
    "tools",
    "prompt_metrics",
    "resource_metrics",
    "resource_subscriptions",
    "server_prompt_association",
    "server_resource_association",
    "server_tool_association",
    "tool_metrics",
)


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "email_users",
        sa.Column("email", sa.String(length=255), nullable=False),
        sa.Column("full_name", sa.String(length=255), nullable=True),
        sa.Column("password_hash", sa.String(length=255), nullable=True),
        sa.Column("is_admin", sa.Boolean(), nullable=False),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.Column("last_login", sa.DateTime(timezone=True), nullable=True),
        *timestamp_columns(),
        sa.PrimaryKeyConstraint("email", name=op.f("pk_email_users")),
    )
    with op.batch_alter_table("email_users", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_email_users_created_at"), ["created_at"], unique=False)

    op.create_table(
        "email_teams",
        *uuid_primary_key("email_teams", length=UUID_LENGTH),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("slug", sa.String(length=255), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("created_by", sa.String(length=255), nullable=True),
        sa.Column("is_personal", sa.Boolean(), nullable=False),
        sa.Column(
            "visibility",
            sa.Enum(
                "private",
                "team",
                "public",
                name="visibility",
                native_enum=False,
                create_constraint=True,
            ),
            server_default="private",
            nullable=False,
        ),
        *timestamp_columns(),
        sa.ForeignKeyConstraint(
            ["created_by"],
            ["email_users.email"],
            name=op.f("fk_email_teams_created_by_email_users"),
            ondelete="SET NULL",
        ),
        sa.UniqueConstraint("slug", name=op.f("uq_email_teams_slug")),
    )
    with op.batch_alter_table("email_teams", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_email_teams_created_at"), ["created_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_email_teams_created_by"), ["created_by"], unique=False)
        batch_op.create_index(batch_op.f("ix_email_teams_name"), ["name"], unique=False)

    op.create_table(
        "email_team_members",
        *uuid_primary_key("email_team_members", length=UUID_LENGTH),
        sa.Column("team_id", sa.String(length=36), nullable=False),
        sa.Column("user_email", sa.String(length=255), nullable=False),
        sa.Column(
            "role",
            sa.Enum("owner", "member", name="role", native_enum=False, create_constraint=True),
            nullable=False,
        ),
        sa.Column("joined_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["team_id"],
            ["email_teams.id"],
            name=op.f("fk_email_team_members_team_id_email_teams"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_email"],
            ["email_users.email"],
            name=op.f("fk_email_team_members_user_email_email_users"),
            ondelete="CASCADE",
        ),
        sa.UniqueConstraint(
            "team_id", "user_email", name=op.f("uq_email_team_members_team_id_user_email")
        ),
    )
    with op.batch_alter_table("email_team_members", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_email_team_members_team_id"), ["team_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_email_team_members_user_email"), ["user_email"], unique=False
        )

    op.create_table(
        "gateways",
        *uuid_primary_key("gateways", length=UUID_LENGTH),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("slug", sa.String(length=255), nullable=False),
        sa.Column("url", sa.String(length=767), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column(
            "transport",
            sa.Enum(
                "sse",
                "streamablehttp",
                "stdio",
                name="transport",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("capabilities", sa.JSON(), nullable=False),
        sa.Column("auth_type", sa.String(length=32), nullable=True),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("reachable", sa.Boolean(), nullable=False),
        sa.Column("last_seen", sa.DateTime(timezone=True), nullable=True),
        *ownership_columns("gateways", **OWNERSHIP),
        *timestamp_columns(),
        sa.UniqueConstraint("slug", name=op.f("uq_gateways_slug")),
    )
    with op.batch_alter_table("gateways", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_gateways_created_at"), ["created_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_gateways_name"), ["name"], unique=False)
    create_ownership_indexes("gateways")

    op.create_table(
        "servers",
        *uuid_primary_key("servers", length=UUID_LENGTH),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("icon", sa.String(length=767), nullable=True),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        *ownership_columns("servers", **OWNERSHIP),
        *timestamp_columns(),
    )
    with op.batch_alter_table("servers", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_servers_created_at"), ["created_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_servers_name"), ["name"], unique=False)
    create_ownership_indexes("servers")

    op.create_table(
        "prompts",
        *uuid_primary_key("prompts", length=UUID_LENGTH),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("template", sa.Text(), nullable=False),
        sa.Column("argument_schema", sa.JSON(), nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("gateway_id", sa.String(length=36), nullable=True),
        *ownership_columns("prompts", **OWNERSHIP),
        *timestamp_columns(),
        sa.ForeignKeyConstraint(
            ["gateway_id"],
            ["gateways.id"],
            name=op.f("fk_prompts_gateway_id_gateways"),
            ondelete="CASCADE",
        ),
        sa.UniqueConstraint("gateway_id", "name", name=op.f("uq_prompts_gateway_id_name")),
    )
    with op.batch_alter_table("prompts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_prompts_created_at"), ["created_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_prompts_gateway_id"), ["gateway_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_prompts_name"), ["name"], unique=False)
    create_ownership_indexes("prompts")

    op.create_table(
        "resources",
        *uuid_primary_key("resources", length=UUID_LENGTH),
        sa.Column("uri", sa.String(length=767), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("mime_type", sa.String(length=255), nullable=True),
        sa.Column("size", sa.Integer(), nullable=True),
        sa.Column("text_content", sa.Text(), nullable=True),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("gateway_id", sa.String(length=36), nullable=True),
        *ownership_columns("resources", **OWNERSHIP),
        *timestamp_columns(),
        sa.ForeignKeyConstraint(
            ["gateway_id"],
            ["gateways.id"],
            name=op.f("fk_resources_gateway_id_gateways"),
            ondelete="CASCADE",
        ),
        sa.UniqueConstraint("gateway_id", "uri", name=op.f("uq_resources_gateway_id_uri")),
    )
    with op.batch_alter_table("resources", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_resources_created_at"), ["created_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_resources_gateway_id"), ["gateway_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_resources_name"), ["name"], unique=False)
        batch_op.create_index(batch_op.f("ix_resources_uri"), ["uri"], unique=False)
    create_ownership_indexes("resources")

    op.create_table(
        "server_metrics",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("server_id", sa.String(length=36), nullable=False),
        sa.Column("timestamp", sa.DateTime(timezone=True), nullable=False),
        sa.Column("response_time", sa.Float(), nullable=False),
        sa.Column("is_success", sa.Boolean(), nullable=False),
        sa.Column("error_message", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["server_id"],
            ["servers.id"],
            name=op.f("fk_server_metrics_server_id_servers"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_server_metrics")),
    )
    with op.batch_alter_table("server_metrics", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_server_metrics_server_id"), ["server_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_server_metrics_timestamp"), ["timestamp"], unique=False
        )

    op.create_table(
        "tools",
        *uuid_primary_key("tools", length=UUID_LENGTH),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("original_name", sa.String(length=255), nullable=False),
        sa.Column("url", sa.String(length=767), nullable=True),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column(
            "integration_type",
            sa.Enum(
                "mcp", "rest", name="integration_type", native_enum=False, create_constraint=True
            ),
            nullable=False,
        ),
        sa.Column("request_type", sa.String(length=16), nullable=False),
        sa.Column("headers", sa.JSON(), nullable=False),
        sa.Column("input_schema", sa.JSON(), nullable=False),
        sa.Column("annotations", sa.JSON(), nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("reachable", sa.Boolean(), nullable=False),
        sa.Column("gateway_id", sa.String(length=36), nullable=True),
        *ownership_columns("tools", **OWNERSHIP),
        *timestamp_columns(),
        sa.ForeignKeyConstraint(
            ["gateway_id"],
            ["gateways.id"],
            name=op.f("fk_tools_gateway_id_gateways"),
            ondelete="CASCADE",
        ),
        sa.UniqueConstraint("gateway_id", "name", name=op.f("uq_tools_gateway_id_name")),
    )
    with op.batch_alter_table("tools", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_tools_created_at"), ["created_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_tools_gateway_id"), ["gateway_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_tools_name"), ["name"], unique=False)
    create_ownership_indexes("tools")

    op.create_table(
        "prompt_metrics",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("prompt_id", sa.String(length=36), nullable=False),
        sa.Column("timestamp", sa.DateTime(timezone=True), nullable=False),
        sa.Column("response_time", sa.Float(), nullable=False),
        sa.Column("is_success", sa.Boolean(), nullable=False),
        sa.Column("error_message", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["prompt_id"],
            ["prompts.id"],
            name=op.f("fk_prompt_metrics_prompt_id_prompts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_prompt_metrics")),
    )
    with op.batch_alter_table("prompt_metrics", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_prompt_metrics_prompt_id"), ["prompt_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_prompt_metrics_timestamp"), ["timestamp"], unique=False
        )

    op.create_table(
        "resource_metrics",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("resource_id", sa.String(length=36), nullable=False),
        sa.Column("timestamp", sa.DateTime(timezone=True), nullable=False),
        sa.Column("response_time", sa.Float(), nullable=False),
        sa.Column("is_success", sa.Boolean(), nullable=False),
        sa.Column("error_message", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["resource_id"],
            ["resources.id"],
            name=op.f("fk_resource_metrics_resource_id_resources"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_resource_metrics")),
    )
    with op.batch_alter_table("resource_metrics", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_resource_metrics_resource_id"), ["resource_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_resource_metrics_timestamp"), ["timestamp"], unique=False
        )

    op.create_table(
        "resource_subscriptions",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("resource_id", sa.String(length=36), nullable=False),
        sa.Column("subscriber_id", sa.String(length=255), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["resource_id"],
            ["resources.id"],
            name=op.f("fk_resource_subscriptions_resource_id_resources"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_resource_subscriptions")),
        sa.UniqueConstraint(
            "resource_id",
            "subscriber_id",
            name=op.f("uq_resource_subscriptions_resource_id_subscriber_id"),
        ),
    )
    with op.batch_alter_table("resource_subscriptions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_resource_subscriptions_created_at"), ["created_at"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_resource_subscriptions_resource_id"), ["resource_id"], unique=False
        )

    op.create_table(
        "server_prompt_association",
        sa.Column("server_id", sa.String(length=36), nullable=False),
        sa.Column("prompt_id", sa.String(length=36), nullable=False),
        sa.ForeignKeyConstraint(
            ["prompt_id"],
            ["prompts.id"],
            name=op.f("fk_server_prompt_association_prompt_id_prompts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["server_id"],
            ["servers.id"],
            name=op.f("fk_server_prompt_association_server_id_servers"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "server_id", "prompt_id", name=op.f("pk_server_prompt_association")
        ),
    )
    with op.batch_alter_table("server_prompt_association", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_server_prompt_association_prompt_id"), ["prompt_id"], unique=False
        )

    op.create_table(
        "server_resource_association",
        sa.Column("server_id", sa.String(length=36), nullable=False),
        sa.Column("resource_id", sa.String(length=36), nullable=False),
        sa.ForeignKeyConstraint(
            ["resource_id"],
            ["resources.id"],
            name=op.f("fk_server_resource_association_resource_id_resources"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["server_id"],
            ["servers.id"],
            name=op.f("fk_server_resource_association_server_id_servers"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "server_id", "resource_id", name=op.f("pk_server_resource_association")
        ),
    )
    with op.batch_alter_table("server_resource_association", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_server_resource_association_resource_id"), ["resource_id"], unique=False
        )

    op.create_table(
        "server_tool_association",
        sa.Column("server_id", sa.String(length=36), nullable=False),
        sa.Column("tool_id", sa.String(length=36), nullable=False),
        sa.ForeignKeyConstraint(
            ["server_id"],
            ["servers.id"],
            name=op.f("fk_server_tool_association_server_id_servers"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["tool_id"],
            ["tools.id"],
            name=op.f("fk_server_tool_association_tool_id_tools"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("server_id", "tool_id", name=op.f("pk_server_tool_association")),
    )
    with op.batch_alter_table("server_tool_association", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_server_tool_association_tool_id"), ["tool_id"], unique=False
        )

    op.create_table(
        "tool_metrics",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("tool_id", sa.String(length=36), nullable=False),
        sa.Column("timestamp", sa.DateTime(timezone=True), nullable=False),
        sa.Column("response_time", sa.Float(), nullable=False),
        sa.Column("is_success", sa.Boolean(), nullable=False),
        sa.Column("error_message", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["tool_id"],
            ["tools.id"],
            name=op.f("fk_tool_metrics_tool_id_tools"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tool_metrics")),
    )
    with op.batch_alter_table("tool_metrics", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_tool_metrics_timestamp"), ["timestamp"], unique=False)
        batch_op.create_index(batch_op.f("ix_tool_metrics_tool_id"), ["tool_id"], unique=False)


def downgrade() -> None:
    """Revert this revision: drop every table, children first."""
    drop_tables(
        "tool_metrics",
        "server_tool_association",
        "server_resource_association",
        "server_prompt_association",
        "resource_subscriptions",
        "resource_metrics",
        "prompt_metrics",
        "tools",
        "server_metrics",
        "resources",
        "prompts",
        "servers",
        "gateways",
        "email_team_members",
        "email_teams",
        "email_users",
    )
