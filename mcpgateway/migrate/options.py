"""The one typed object that carries what the CLI wants from a run into env.py.

The CLI attaches a ``RunOptions`` to the Alembic ``Config`` it hands ``alembic.command``;
env.py reads it back with ``options_of``. Plain ``alembic ...`` attaches none, so the same
options are read from Alembic's own command line, in ``from_alembic_command_line`` only.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Literal, cast

from alembic.config import Config
from sqlalchemy.engine import Connection, Engine

from mcpgateway.migrate.models import owned_tables

Mutation = Literal["upgrade", "downgrade", "stamp"]
MUTATIONS: tuple[Mutation, ...] = ("upgrade", "downgrade", "stamp")
Autogenerate = Literal["revision", "check"]
KEY = "mcpgateway.options"
# Where pytest-alembic, and Alembic's cookbook recipe for sharing a connection, put one.
SHARED_CONNECTION = "connection"


@dataclass(frozen=True)
class RunOptions:
    """What one Alembic command run should do beyond Alembic's own arguments."""

    # The change this run makes: it takes the migration lock, runs the preflight and keeps the
    # ledger. None: it reads (current, check) or replays a scratch database (db-check).
    mutation: Mutation | None = None
    # Autogenerate compares the models in this run: to write a revision (db-new), or only to
    # report differences (db-check). Only then is the models' metadata handed to Alembic:
    # Alembic also gives its naming convention to every op, and an applied revision must run
    # the same whatever the models say today (so upgrade, downgrade and db-sql never see it).
    autogenerate: Autogenerate | None = None
    # The one history a new revision belongs to (db-new PLUGIN=...); None: the core.
    plugin: str | None = None
    # Offline SQL for this dialect instead of the configured database's (db-sql DIALECT=...).
    sql_dialect: str | None = None
    # Run on this instead of connecting to DATABASE_URL (db-check's scratch database).
    connection: Connection | Engine | None = None
    # How to load the tables the models declare, by owner: the preflight calls it only when a
    # history has no recorded revision, and refuses a database that holds its tables already.
    owned_tables: Callable[[], Mapping[str, frozenset[str]]] | None = None
    # A stamp's consent: recorded revisions no file has, which it deletes before recording
    # (db-stamp asks, and saves the version rows first). Any other unknown row is refused.
    replaces: tuple[str, ...] = ()


def attach(config: Config, options: RunOptions) -> Config:
    """Hand ``options`` to env.py through ``config``; returns ``config``."""
    config.attributes[KEY] = options
    return config


def options_of(config: Config) -> RunOptions:
    """The options the CLI attached, or those plain Alembic's command line implies."""
    given = config.attributes.get(KEY)
    return given if isinstance(given, RunOptions) else from_alembic_command_line(config)


def from_alembic_command_line(config: Config) -> RunOptions:
    """Plain ``alembic ...``: the command it parsed, and ``-x plugin=...``/``-x dialect=...``.

    A program that calls ``alembic.command`` itself (pytest-alembic) has no command line: its
    runs read and compare, as ``alembic check`` does, and its upgrades take no lock.
    """
    cmd = getattr(config.cmd_opts, "cmd", None)
    name = getattr(cmd[0], "__name__", "") if cmd else ""
    autogenerate: Autogenerate | None = "check" if cmd is None or name == "check" else None
    x_args = [arg.partition("=") for arg in getattr(config.cmd_opts, "x", None) or []]
    extra = {key: value for key, sep, value in x_args if sep}
    shared = config.attributes.get(SHARED_CONNECTION)
    return RunOptions(
        mutation=cast(Mutation, name) if name in MUTATIONS else None,
        autogenerate="revision" if name == "revision" else autogenerate,
        plugin=extra.get("plugin") or None,
        sql_dialect=extra.get("dialect") or None,
        connection=shared if isinstance(shared, Connection | Engine) else None,
        owned_tables=owned_tables if name == "upgrade" else None,
    )
