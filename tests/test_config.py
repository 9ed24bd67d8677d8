"""Settings: URL normalization, masking, sources, and one-line errors without secrets."""

from pathlib import Path

import pytest

from mcpgateway.config import Settings, get_settings, mask_url, normalize_database_url
from mcpgateway.errors import SettingsError


@pytest.fixture(autouse=True)
def _fresh_settings(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    get_settings.cache_clear()


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("postgresql://u:p@h:5432/db", "postgresql+psycopg2://u:p@h:5432/db"),
        ("postgres://u:p@h/db", "postgresql+psycopg2://u:p@h/db"),
        ("postgresql+psycopg2://u@h/db", "postgresql+psycopg2://u@h/db"),
        ("mysql://root@h:3306/db", "mysql+pymysql://root@h:3306/db"),
        ("mariadb://root@h/db", "mariadb+pymysql://root@h/db"),
        ("sqlite:///./mcp.db", "sqlite:///./mcp.db"),
        ("  sqlite:///:memory:  ", "sqlite:///:memory:"),
        ("postgresql://u:p%25%40ss@h/db", "postgresql+psycopg2://u:p%25%40ss@h/db"),
    ],
)
def test_url_selects_shipped_driver(raw: str, expected: str) -> None:
    """Assert that every URL family selects the driver we ship, keeping the rest intact."""
    assert normalize_database_url(raw) == expected


@pytest.mark.parametrize(
    ("raw", "fragment"),
    [
        ("not a url", "is not a database URL"),
        ("oracle9://u:secret@h/db", "unknown database 'oracle9'"),
        ("postgresql+psycopg://u:secret@h/db", "'postgresql+psycopg', which is not installed"),
        ("mysql+mysqldb://u:secret@h/db", "'mysql+mysqldb', which is not installed"),
    ],
)
def test_bad_url_is_one_line_without_password(
    raw: str, fragment: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Assert that a bad DATABASE_URL raises one line naming the problem, never the password."""
    monkeypatch.setenv("DATABASE_URL", raw)
    with pytest.raises(SettingsError) as info:
        get_settings()
    message = str(info.value)
    assert fragment in message
    assert "secret" not in message
    assert "\n" not in message


def test_mask_url_hides_password() -> None:
    """Assert that a rendered URL never shows the password."""
    assert (
        mask_url("postgresql+psycopg2://app:s3cr%40t@db/x") == "postgresql+psycopg2://app:***@db/x"
    )
    assert mask_url("sqlite:///./mcp.db") == "sqlite:///./mcp.db"


def test_sources_default_dotenv_then_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """Assert that the default is SQLite, .env overrides it, and the environment wins over both."""
    assert get_settings().database_url == "sqlite:///./mcp.db"
    Path(".env").write_text("DATABASE_URL=postgres://u@dotenv/db\n")
    assert Settings().database_url == "postgresql+psycopg2://u@dotenv/db"
    monkeypatch.setenv("DATABASE_URL", "mysql://u@environ/db")
    assert Settings().database_url == "mysql+pymysql://u@environ/db"


def test_settings_are_cached_and_need_no_secrets() -> None:
    """Assert that get_settings() builds once and starts with nothing but defaults."""
    assert get_settings() is get_settings()


def test_bad_timeout_names_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    """Assert that a malformed numeric setting names its variable."""
    monkeypatch.setenv("DATABASE_CONNECT_TIMEOUT", "soon")
    with pytest.raises(SettingsError, match="DATABASE_CONNECT_TIMEOUT"):
        get_settings()
