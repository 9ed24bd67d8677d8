"""env.py in-process: the URL comes from the settings intact, and app logging survives."""

import logging
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic import command

from mcpgateway.config import get_settings
from mcpgateway.db.models import metadata
from mcpgateway.migrate.alembic_config import load_config
from tests.backends import login_with_password
from tests.conftest import PROJECT_ROOT

AWKWARD_PASSWORD = "p%40ss@w:rd%"


@pytest.fixture
def awkward_url(
    database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[str]:
    """The per-test database reached through a URL full of '%', '@' and ':'."""
    monkeypatch.chdir(PROJECT_ROOT)
    if database_url.startswith("sqlite"):
        folder = tmp_path / "100%@cover:age"
        folder.mkdir()
        url = f"sqlite:///{folder / 'db.sqlite'}"
        monkeypatch.setenv("DATABASE_URL", url)
        get_settings.cache_clear()
        yield url
    else:
        with login_with_password(database_url, AWKWARD_PASSWORD) as url:
            monkeypatch.setenv("DATABASE_URL", url)
            get_settings.cache_clear()
            yield url
    get_settings.cache_clear()


def test_password_with_percent_and_at_reaches_the_engine(awkward_url: str) -> None:
    """Assert that plain Alembic upgrades through a URL that configparser would choke on."""
    command.upgrade(load_config(), "heads")
    engine = sa.create_engine(get_settings().database_url, poolclass=sa.pool.NullPool)
    with engine.connect() as conn:
        tables = set(sa.inspect(conn).get_table_names())
    engine.dispose()
    assert set(metadata.tables) <= tables


def test_cli_output_never_shows_the_password(awkward_url: str) -> None:
    """Assert that the CLI reports where it migrated with the password masked."""
    result = subprocess.run(
        [sys.executable, "-m", "mcpgateway.migrate", "up"],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "is at" in result.stdout
    assert AWKWARD_PASSWORD not in result.stdout + result.stderr
    assert "p%2540ss" not in result.stdout + result.stderr


def test_application_logging_survives_migrations(
    settings_env: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Assert that running migrations in-process keeps the app's handlers and loggers."""
    monkeypatch.chdir(PROJECT_ROOT)
    root = logging.getLogger()
    handler = logging.StreamHandler()
    app_logger = logging.getLogger("mcpgateway.app")
    root.addHandler(handler)
    try:
        command.upgrade(load_config(), "heads")
        assert handler in root.handlers
        assert not app_logger.disabled
    finally:
        root.removeHandler(handler)
