"""Every revision proven on each backend: schema per step, data kept, backends in agreement."""

from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.config import Config

from mcpgateway.config import get_settings
from mcpgateway.db.migrations import load_config
from mcpgateway.db.status import branch_of, script_directory
from tests.backends import BACKENDS, provisioned
from tests.conftest import PROJECT_ROOT
from tests.schema import ALLOWED_TYPE_DIFFERENCES, snapshot

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


def rows(engine: sa.Engine) -> dict[str, list[tuple[object, ...]]]:
    """Every seeded table's rows, in a stable order."""
    found = {}
    with engine.connect() as conn:
        for table in SEED:
            result = conn.execute(sa.text(f"SELECT * FROM {table}"))
            found[table] = sorted(tuple(str(value) for value in row) for row in result)
    return found


def test_stairway_each_revision_up_down_up_with_data(
    migrations: tuple[Config, sa.Engine],
) -> None:
    """Assert that each revision, in order, goes up, down and up to the same schema, and
    that data seeded where its tables appear is still there, value for value."""
    config, engine = migrations
    script = script_directory(config)
    order = list(reversed(list(script.walk_revisions())))
    assert len(order) >= 2
    seeded: dict[str, list[tuple[object, ...]]] | None = None
    for revision in order:
        before = look(engine)
        command.upgrade(config, revision.revision)
        after = look(engine)
        assert after != before, f"{revision.revision} changed nothing"
        command.downgrade(config, f"{branch_of(script, revision)}@-1")
        assert look(engine) == before, f"{revision.revision} did not downgrade cleanly"
        if seeded is not None:
            assert rows(engine) == seeded, f"{revision.revision} lost data on the way down"
        command.upgrade(config, revision.revision)
        assert look(engine) == after, f"{revision.revision} did not upgrade the same twice"
        if seeded is None and set(SEED) <= set(after):
            with engine.begin() as conn:
                for statement in SEED.values():
                    conn.execute(sa.text(statement))
            seeded = rows(engine)
        if seeded is not None:
            assert rows(engine) == seeded, f"{revision.revision} lost data on the way up"
    assert seeded is not None
    assert all(seeded.values())


def test_models_equal_migrations_with_the_plugin(migrations: tuple[Config, sa.Engine]) -> None:
    """Assert that after upgrade heads, autogenerate finds nothing for core and plugin."""
    config, _engine = migrations
    command.upgrade(config, "heads")
    command.check(config)  # raises AutogenerateDiffsDetected on any difference


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
