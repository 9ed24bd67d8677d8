"""Settings read from the environment and ``.env``, with the database URL normalized."""

import keyword
from collections.abc import Iterable
from functools import lru_cache
from typing import Annotated

from pydantic import Field, ValidationError, field_validator
from pydantic_core import ErrorDetails
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError

DEFAULT_DATABASE_URL = "sqlite:///./mcp.db"

# SQLAlchemy 2.1 maps a bare ``postgresql://`` to psycopg 3, which we do not ship; Heroku-style
# ``postgres://`` is no dialect at all. Every family name maps to the driver we install.
_DRIVER_FOR_FAMILY = {
    "postgres": "postgresql+psycopg2",
    "postgresql": "postgresql+psycopg2",
    "mysql": "mysql+pymysql",
    "mariadb": "mariadb+pymysql",
}


PERCENT_ENCODE = "percent-encode special characters: '@' is %40, ':' is %3A, '/' is %2F, '%' is %25"
SECRET_PARAMS = ("secret", "password", "passwd", "token")
BACKEND_NAMES = ("postgresql", "mariadb", "sqlite")
BACKEND_ALIASES = {"mysql": "mariadb", "postgres": "postgresql"}


def normalize_database_url(raw: str, name: str = "DATABASE_URL") -> str:
    """Return ``raw`` with the shipped driver selected; raise ValueError if it is unusable,
    naming the setting ``name`` it came from."""
    raw = raw.strip()
    try:
        url = make_url(raw)
    except (ArgumentError, ValueError):  # ValueError: a port that is no number (a password?)
        raise ValueError(
            f"{name} is not a database URL; expected e.g. "
            "sqlite:///./mcp.db or postgresql://user:pass@host:5432/db "
            f"({PERCENT_ENCODE})"
        ) from None
    if url.host and "@" in url.host:
        raise ValueError(
            f"{name} has more than one '@' before the host: a password or user with an "
            f"'@' in it must be percent-encoded ({PERCENT_ENCODE})"
        )
    query = [*url.query.keys(), *map(str, url.query.values())]
    parts = [url.username, url.password, url.host, url.database, *query]
    if any("\x00" in str(part) for part in parts if part is not None):
        raise ValueError(
            f"{name} holds a NUL character (%00), which no database client can pass; "
            "remove it from the user, password, host, database or query"
        )
    shipped = _DRIVER_FOR_FAMILY.get(url.drivername)
    if shipped:
        url = url.set(drivername=shipped)
    try:
        dialect = url.get_dialect()
    except NoSuchModuleError:
        raise ValueError(
            f"{name} names an unknown database {url.drivername!r}; "
            "use sqlite://, postgresql:// or mysql://"
        ) from None
    try:
        dialect.import_dbapi()
    except ImportError:
        raise ValueError(
            f"{name} selects driver {url.drivername!r}, which is not installed; "
            "drop the +driver part to use the shipped one"
        ) from None
    return url.render_as_string(hide_password=False) if shipped else raw


def mask_url(url: str | URL) -> str:
    """Render a database URL with its password, and every query parameter whose name says
    secret, password or token, replaced by ``***``."""
    try:
        parsed = make_url(url)
    except (ArgumentError, ValueError):
        return "<unparseable URL>"
    secret = {
        name: "***" for name in parsed.query if any(hint in name.lower() for hint in SECRET_PARAMS)
    }
    shown = parsed.update_query_dict(secret).render_as_string(hide_password=True)
    return shown.replace("%2A%2A%2A", "***")


class Settings(BaseSettings):
    """Everything the toolkit reads from the environment; no application secrets needed."""

    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    database_url: str = Field(default=DEFAULT_DATABASE_URL, description="SQLAlchemy URL")
    database_echo: bool = Field(default=False, description="log every SQL statement")
    database_connect_timeout: int = Field(
        default=10, ge=1, le=600, description="seconds to wait for the server to answer"
    )

    migration_lock_wait: float = Field(
        default=60, ge=0, le=3600, description="seconds to wait for another runner's migration lock"
    )
    migration_lock_timeout: float = Field(
        default=5, gt=0, le=600, description="seconds a DDL statement may wait for a table lock"
    )
    migration_statement_timeout: float = Field(
        default=900,
        ge=0,
        le=86400,
        description="seconds one migration statement may run; 0: no limit",
    )
    migration_lock_retries: int = Field(
        default=3, ge=0, le=20, description="retries of a revision that timed out on a table lock"
    )
    migration_retry_backoff: float = Field(
        default=1, ge=0, le=60, description="seconds before the first retry; doubles each time"
    )
    migration_fast_path: bool = Field(
        default=True,
        description="answer db-up at head from the cached revision graph, no revision loaded",
    )
    migration_schema_files: bool = Field(
        default=True,
        description="db-up on an empty database loads alembic/schema/<backend>.sql when it is "
        "current, instead of running every revision; false: always run them",
    )
    migration_schema_backends: Annotated[list[str], NoDecode] = Field(
        default_factory=lambda: ["postgresql", "mariadb", "sqlite"],
        description="comma-separated backends whose schema files the project keeps: make "
        "db-schema writes them, make db-check fails when one is missing",
    )
    mcpgateway_skip_migrations: bool = Field(
        default=False, description="bootstrap never migrates; it fails fast when behind head"
    )
    plugins: Annotated[list[str], NoDecode] = Field(
        default_factory=list, description="comma-separated plugin names to enable"
    )
    migration_ignore_tables: Annotated[list[str], NoDecode] = Field(
        default_factory=list,
        description="comma-separated tables (fnmatch patterns) of other applications in the "
        "same database: autogenerate never creates, alters or drops them",
    )

    @field_validator("database_url")
    @classmethod
    def _normalize_url(cls, value: str) -> str:
        return normalize_database_url(value)

    @field_validator("migration_schema_backends", mode="before")
    @classmethod
    def _split_backends(cls, value: object) -> list[str]:
        names = value.split(",") if isinstance(value, str) else list(value or [])  # type: ignore[call-overload]
        chosen = backend_names(names)
        if not chosen:
            raise ValueError("is empty: name the backends whose schema files are kept")
        return chosen

    @field_validator("migration_ignore_tables", mode="before")
    @classmethod
    def _split_tables(cls, value: object) -> list[str]:
        names = value.split(",") if isinstance(value, str) else list(value or [])  # type: ignore[call-overload]
        return [str(name).strip() for name in names if str(name).strip()]

    @field_validator("plugins", mode="before")
    @classmethod
    def _split_plugins(cls, value: object) -> list[str]:
        names = value.split(",") if isinstance(value, str) else list(value or [])  # type: ignore[call-overload]
        cleaned = [str(name).strip() for name in names if str(name).strip()]
        for name in cleaned:
            if not name.isidentifier() or keyword.iskeyword(name):
                raise ValueError(f"PLUGINS: {name!r} is not a plugin name (a Python identifier)")
        return list(dict.fromkeys(cleaned))


def _describe(error: ErrorDetails) -> str:
    # Never include error["input"]: for DATABASE_URL it would print the password.
    field = ".".join(str(part) for part in error["loc"]).upper() or "settings"
    message = str(error["msg"]).removeprefix("Value error, ")
    return message if message.startswith(field) else f"{field}: {message}"


def backend_names(names: Iterable[object]) -> list[str]:
    """Backend names as a user gives them (any case, ``mysql`` and ``postgres`` for short), each
    once, the blank ones left out; ValueError names the first that is not a backend."""
    chosen = [BACKEND_ALIASES.get(n, n) for n in (str(name).strip().lower() for name in names) if n]
    unknown = [name for name in chosen if name not in BACKEND_NAMES]
    if unknown:
        raise ValueError(f"{unknown[0]} is not one of {', '.join(BACKEND_NAMES)}")
    return list(dict.fromkeys(chosen))


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """Build the settings once; tests clear the cache with ``get_settings.cache_clear()``."""
    try:
        return Settings()
    except UnicodeDecodeError as exc:
        from mcpgateway.errors import SettingsError  # lazy, as below

        raise SettingsError(
            f".env is not UTF-8 text (byte {exc.start} cannot be read); save it as UTF-8"
        ) from None
    except ValidationError as exc:
        # Lazy: mcpgateway.errors imports Alembic (about 0.3 s, python -X importtime), which an
        # application reading its settings should not pay for.
        from mcpgateway.errors import SettingsError

        raise SettingsError("; ".join(_describe(e) for e in exc.errors())) from None
