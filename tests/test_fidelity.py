"""Every revision proven on each backend: schema per step, data kept, backends in agreement."""

from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.config import Config

from mcpgateway.config import get_settings
from mcpgateway.db.models.catalog import tool_slug
from mcpgateway.migrate.alembic_config import load_config
from mcpgateway.migrate.history.graph import branch_of, script_directory
from mcpgateway.migrate.options import RunOptions, attach
from tests.backends import BACKENDS, provisioned
from tests.conftest import PROJECT_ROOT
from tests.schema import ALLOWED_TYPE_DIFFERENCES, BOOKKEEPING, snapshot

SEED = {
    "email_users": "INSERT INTO email_users (email, full_name, is_admin, is_active, created_at, "
    "updated_at) VALUES ('ada@example.com', 'Ada', true, true, '2026-01-01', '2026-01-02')",
    "email_teams": "INSERT INTO email_teams (id, name, slug, created_by, is_personal, visibility, "
    "created_at, updated_at) VALUES ('t1', 'Core', 'core-team', 'ada@example.com', false, 'team', "
    "'2026-01-01', '2026-01-01')",
    "email_team_members": "INSERT INTO email_team_members (id, team_id, user_email, role, "
    "joined_at) VALUES ('m1', 't1', 'ada@example.com', 'owner', '2026-01-01')",
    "gateways": "INSERT INTO gateways (id, name, slug, url, transport, capabilities, enabled, "
    "reachable, team_id, owner_email, visibility, created_at, updated_at) VALUES ('g1', 'Peer', "
    "'peer', 'https://peer.example/mcp', 'sse', '{\"tools\": true}', true, true, 't1', "
    "'ada@example.com', 'team', '2026-01-01', '2026-01-01')",
    "servers": "INSERT INTO servers (id, name, enabled, visibility, created_at, updated_at) "
    "VALUES ('s1', 'Workbench', true, 'public', '2026-01-01', '2026-01-01')",
    "tools": "INSERT INTO tools (id, name, original_name, integration_type, request_type, headers, "
    "input_schema, annotations, enabled, reachable, gateway_id, visibility, created_at, "
    "updated_at) VALUES ('tool1', 'echo', 'echo', 'mcp', 'POST', '{}', '{\"type\": \"object\"}', "
    "'{}', true, true, 'g1', 'public', '2026-01-01', '2026-01-01')",
    "resources": "INSERT INTO resources (id, uri, name, mime_type, size, enabled, visibility, "
    "created_at, updated_at) VALUES ('r1', 'file:///readme', 'readme', 'text/plain', 12, true, "
    "'public', '2026-01-01', '2026-01-01')",
    "prompts": "INSERT INTO prompts (id, name, template, argument_schema, enabled, visibility, "
    "created_at, updated_at) VALUES ('p1', 'greet', 'Hello {name}', '{}', true, 'public', "
    "'2026-01-01', '2026-01-01')",
    "server_tool_association": "INSERT INTO server_tool_association (server_id, tool_id) "
    "VALUES ('s1', 'tool1')",
    "server_resource_association": "INSERT INTO server_resource_association (server_id, "
    "resource_id) VALUES ('s1', 'r1')",
    "server_prompt_association": "INSERT INTO server_prompt_association (server_id, prompt_id) "
    "VALUES ('s1', 'p1')",
    "tool_metrics": "INSERT INTO tool_metrics (tool_id, timestamp, response_time, is_success) "
    "VALUES ('tool1', '2026-01-01', 0.25, true)",
    "resource_subscriptions": "INSERT INTO resource_subscriptions (resource_id, subscriber_id, "
    "created_at) VALUES ('r1', 'client-1', '2026-01-01')",
    **{
        f"{kind}_metrics": f"INSERT INTO {kind}_metrics ({kind}_id, timestamp, response_time, "
        f"is_success) VALUES ('{parent}', '2026-01-01', 0.5, false)"
        for kind, parent in (("resource", "r1"), ("prompt", "p1"), ("server", "s1"))
    },
    "rate_limit_policies": "INSERT INTO rate_limit_policies (id, tool_id, team_id, max_calls, "
    "window_seconds, enabled, created_at, updated_at) VALUES ('rl1', 'tool1', 't1', 10, 60, "
    "true, '2026-01-01', '2026-01-01')",
    "rate_limit_counters": "INSERT INTO rate_limit_counters (tool_id, subject, window_start, "
    "calls) VALUES ('tool1', 'client-1', '2026-01-01', 3)",
}


@pytest.fixture
def migrations(
    settings_env: str, monkeypatch: pytest.MonkeyPatch
) -> Iterator[tuple[Config, sa.Engine]]:
    """The project's Alembic config with the example plugin enabled, and an engine to look."""
    monkeypatch.chdir(PROJECT_ROOT)
    monkeypatch.setenv("PLUGINS", "rate_limit")
    get_settings.cache_clear()
    engine = sa.create_engine(settings_env, poolclass=sa.pool.NullPool)
    yield load_config(), engine
    engine.dispose()
    get_settings.cache_clear()


def look(engine: sa.Engine) -> dict[str, object]:
    """The schema as it is now."""
    with engine.connect() as conn:
        return snapshot(conn)


Rows = dict[str, list[dict[str, str]]]


def rows(engine: sa.Engine) -> Rows:
    """Every table's rows as column -> value (as text), in a stable order."""
    found: Rows = {}
    with engine.connect() as conn:
        for table in sa.inspect(conn).get_table_names():
            if table not in BOOKKEEPING:
                result = conn.execute(sa.text(f"SELECT * FROM {table}")).mappings()
                found[table] = sorted(
                    ({key: str(value) for key, value in row.items()} for row in result),
                    key=lambda row: sorted(row.items()),
                )
    return found


def seed_new_tables(engine: sa.Engine) -> None:
    """Insert the seed rows of every table that exists and is still empty, parents first."""
    present = rows(engine)
    with engine.begin() as conn:
        for table, statement in SEED.items():
            if table in present and not present[table]:
                conn.execute(sa.text(statement))


def discarded(before: Rows, after: Rows) -> set[str]:
    """What held data before a downgrade and is gone after it: tables, or table.column."""
    lost = set()
    for table, table_rows in before.items():
        if table not in after:
            lost |= {table} if table_rows else set()
            continue
        kept = set(after[table][0]) if after[table] else set()
        for row in table_rows:
            lost |= {f"{table}.{column}" for column, value in row.items() if column not in kept}
    return lost


def projected(data: Rows, onto: Rows) -> Rows:
    """``data`` cut down to the tables and columns ``onto`` has."""
    result: Rows = {}
    for table, table_rows in onto.items():
        columns = set(table_rows[0]) if table_rows else set()
        result[table] = sorted(
            ({k: v for k, v in row.items() if k in columns} for row in data.get(table, [])),
            key=lambda row: sorted(row.items()),
        )
    return result


def test_stairway_each_revision_up_down_up_with_data(
    migrations: tuple[Config, sa.Engine],
) -> None:
    """Assert that each revision, in order, goes up, down and up to the same schema; that
    rows seeded where their tables appear keep every value through every later step; and that
    what a downgrade discards is exactly what its revision declares in ``downgrade_loses``."""
    config, engine = migrations
    script = script_directory(config)
    order = list(reversed(list(script.walk_revisions())))
    assert len(order) >= 3
    declared_somewhere = False
    for revision in order:
        before = look(engine)
        command.upgrade(config, revision.revision)
        after = look(engine)
        assert after != before, f"{revision.revision} changed nothing"
        seed_new_tables(engine)
        full = rows(engine)
        command.downgrade(config, f"{branch_of(script, revision)}@-1")
        assert look(engine) == before, f"{revision.revision} did not downgrade cleanly"
        down = rows(engine)
        declared = set(getattr(revision.module, "downgrade_loses", ()))
        declared_somewhere |= bool(declared)
        assert discarded(full, down) == declared, f"{revision.revision}: downgrade_loses is wrong"
        assert down == projected(full, down), f"{revision.revision} lost data on the way down"
        command.upgrade(config, revision.revision)
        assert look(engine) == after, f"{revision.revision} did not upgrade the same twice"
        seed_new_tables(engine)
        assert rows(engine) == full, f"{revision.revision} lost data on the way up"
    assert set(SEED) <= {table for table, found in rows(engine).items() if found}
    assert declared_somewhere


# Names of one gateway that give one slug, separators, case, a local tool: (id, gateway, name).
SLUG_CASES = [
    ("a1", "g1", "Get Weather"),
    ("a0", "g1", "get_weather"),  # the smaller id keeps "get-weather"
    ("b1", "g1", "fs/Read:File.v2"),
    ("c1", None, "Get Weather"),  # another gateway (none): no clash with g1's
    ("d1", "g1", "x" * 254 + "."),
    ("d0", "g1", "x" * 254 + "_"),  # full length: cut to fit the id
]
SLUG_WANTED = {
    "a0": "get-weather",
    "a1": "get-weather-a1",
    "b1": "fs-read-file-v2",
    "c1": "get-weather",
    "d0": "x" * 254 + "-",
    "d1": "x" * 218 + "-d1",
}


def test_tool_slug_data_migration_up_and_down(migrations: tuple[Config, sa.Engine]) -> None:
    """Assert that the slug revision backfills every tool's slug from its name (as the model's
    ``tool_slug`` would), settles clashes inside a gateway, enforces the unique key, and that
    its downgrade gives the tools back as they were, without the slug."""
    config, engine = migrations
    slug_revision = next(
        r
        for r in script_directory(config).walk_revisions()
        if "tools.slug" in r.module.downgrade_loses
    )
    command.upgrade(config, slug_revision.down_revision)
    seed_new_tables(engine)
    with engine.begin() as conn:
        for tool_id, gateway, name in SLUG_CASES:
            conn.execute(
                sa.text(
                    "INSERT INTO tools (id, name, original_name, integration_type, request_type, "
                    "headers, input_schema, annotations, enabled, reachable, gateway_id, "
                    "visibility, created_at, updated_at) VALUES (:id, :name, :name, 'mcp', "
                    "'POST', '{}', '{}', '{}', true, true, :gateway, 'public', '2026-01-01', "
                    "'2026-01-01')"
                ),
                {"id": tool_id, "name": name, "gateway": gateway},
            )
    before = rows(engine)
    command.upgrade(config, slug_revision.revision)
    with engine.connect() as conn:
        slugs = dict(conn.execute(sa.text("SELECT id, slug FROM tools")).all())
    assert slugs == {"tool1": "echo", **SLUG_WANTED}
    for tool_id, _gateway, name in SLUG_CASES[2:4]:
        assert tool_slug(name) == slugs[tool_id]
    with pytest.raises(sa.exc.IntegrityError), engine.begin() as conn:
        conn.execute(sa.text("UPDATE tools SET slug = 'get-weather' WHERE id = 'b1'"))
    command.downgrade(config, slug_revision.down_revision)
    assert rows(engine) == before


def test_models_equal_migrations_with_the_plugin(migrations: tuple[Config, sa.Engine]) -> None:
    """Assert that after upgrade heads, autogenerate finds nothing for core and plugin."""
    config, _engine = migrations
    command.upgrade(config, "heads")
    # Raises AutogenerateDiffsDetected on any difference.
    command.check(attach(config, RunOptions(autogenerate="check")))


def test_backends_agree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Assert that SQLite, PostgreSQL and MariaDB end with the same schema, but for the
    storage differences listed (with reasons) in tests/schema.py."""
    monkeypatch.chdir(PROJECT_ROOT)
    monkeypatch.setenv("PLUGINS", "rate_limit")
    schemas = {}
    if len(BACKENDS) < 2:
        pytest.skip("comparing backends needs more than one (BACKEND= chose one)")
    for backend in BACKENDS:
        (tmp_path / backend).mkdir()
        with provisioned(backend, tmp_path / backend) as url:
            monkeypatch.setenv("DATABASE_URL", url)
            get_settings.cache_clear()
            command.upgrade(load_config(), "heads")
            engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
            schemas[backend] = look(engine)
            engine.dispose()
    get_settings.cache_clear()
    reference = schemas["postgresql" if "postgresql" in schemas else BACKENDS[0]]
    differences = []
    for backend, schema in schemas.items():
        if set(schema) != set(reference):
            differences.append((backend, "tables", sorted(set(schema) ^ set(reference))))
            continue
        for table, shape in schema.items():
            expected = reference[table]
            for key in ("indexes", "uniques", "foreign_keys"):
                if shape[key] != expected[key]:
                    differences.append((backend, table, key, shape[key] ^ expected[key]))
            if set(shape["columns"]) != set(expected["columns"]):
                differences.append((backend, table, "columns"))
                continue
            for column, (kind, nullable) in shape["columns"].items():
                want_kind, want_nullable = expected["columns"][column]
                if nullable != want_nullable:
                    differences.append((backend, table, column, "nullable"))
                if kind != want_kind and (want_kind, kind) not in ALLOWED_TYPE_DIFFERENCES:
                    differences.append((backend, table, column, want_kind, kind))
    assert not differences, "\n".join(map(str, differences))
