"""mcpgateway.migrate.helpers on each backend: idempotent DDL, and plain emission offline."""

import io
from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from alembic.operations import Operations
from alembic.runtime.migration import MigrationContext

from mcpgateway.db.session import create_db_engine
from mcpgateway.migrate import helpers


@pytest.fixture
def ops(database_url: str) -> Iterator[sa.Connection]:
    """A connection with Alembic's ``op`` bound to it, as inside a revision."""
    engine = create_db_engine(url=database_url, sqlite_foreign_keys=False, pooled=False)
    with engine.begin() as conn, Operations.context(MigrationContext.configure(conn)):
        yield conn
    engine.dispose()


def columns(conn: sa.Connection, table: str) -> set[str]:
    """The column names ``table`` has."""
    return {c["name"] for c in sa.inspect(conn).get_columns(table)}


def test_table_helpers_are_idempotent(ops: sa.Connection) -> None:
    """Assert that each create/drop helper acts once and then reports it had nothing to do."""
    items = [*helpers.uuid_primary_key("widgets", length=36), sa.Column("label", sa.String(50))]
    assert helpers.create_table_if_missing("widgets", *items, *helpers.timestamp_columns())
    assert not helpers.create_table_if_missing("widgets", *items)
    assert columns(ops, "widgets") == {"id", "label", "created_at", "updated_at"}

    assert helpers.create_index_if_missing("ix_widgets_label", "widgets", ["label"])
    assert not helpers.create_index_if_missing("ix_widgets_label", "widgets", ["label"])
    assert helpers.drop_index_if_exists("ix_widgets_label", "widgets")
    assert not helpers.drop_index_if_exists("ix_widgets_label", "widgets")

    assert helpers.add_column_if_missing("widgets", sa.Column("colour", sa.String(20)))
    assert not helpers.add_column_if_missing("widgets", sa.Column("colour", sa.String(20)))
    assert "colour" in columns(ops, "widgets")
    assert helpers.drop_column_if_exists("widgets", "colour")
    assert not helpers.drop_column_if_exists("widgets", "colour")

    assert helpers.drop_table_if_exists("widgets")
    assert not helpers.drop_table_if_exists("widgets")
    assert not sa.inspect(ops).has_table("widgets")


def test_ownership_columns_match_the_models(ops: sa.Connection) -> None:
    """Assert that the ownership helpers build the columns, keys and indexes the mixin has."""
    ops.execute(sa.text("CREATE TABLE email_users (email VARCHAR(255) PRIMARY KEY)"))
    ops.execute(sa.text("CREATE TABLE email_teams (id VARCHAR(36) PRIMARY KEY)"))
    ownership = helpers.ownership_columns(
        "things", visibility=("private", "team"), default="team", id_length=36, email_length=255
    )
    helpers.create_table_if_missing(
        "things", *helpers.uuid_primary_key("things", length=36), *ownership
    )
    helpers.create_ownership_indexes("things")
    inspector = sa.inspect(ops)
    assert columns(ops, "things") == {"id", "team_id", "owner_email", "visibility"}
    assert {fk["name"] for fk in inspector.get_foreign_keys("things")} == {
        "fk_things_team_id_email_teams",
        "fk_things_owner_email_email_users",
    }
    assert {"ix_things_team_id", "ix_things_owner_email"} <= {
        ix["name"] for ix in inspector.get_indexes("things")
    }
    helpers.drop_tables("things", "email_teams", "email_users")
    assert not inspector.has_table("things")


def test_helpers_emit_unconditionally_offline() -> None:
    """Assert that offline (--sql) the helpers write the DDL, having nothing to inspect."""
    buffer = io.StringIO()
    context = MigrationContext.configure(
        dialect_name="postgresql", opts={"as_sql": True, "output_buffer": buffer}
    )
    with Operations.context(context):
        assert helpers.create_table_if_missing(
            "widgets", *helpers.uuid_primary_key("widgets", length=36)
        )
        helpers.drop_tables("widgets")
    sql = buffer.getvalue()
    assert "CREATE TABLE widgets" in sql
    assert "DROP TABLE widgets" in sql
