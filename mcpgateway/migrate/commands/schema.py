"""Moving the database along its histories, and reading where it stands."""

import argparse
import io
import re
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy.engine import make_url

from mcpgateway.config import get_settings, mask_url
from mcpgateway.errors import UsageError
from mcpgateway.migrate import SQL_DIALECTS
from mcpgateway.migrate.alembic_config import load_config
from mcpgateway.migrate.backup import backup, save_version_rows
from mcpgateway.migrate.bootstrap import bootstrap
from mcpgateway.migrate.commands import required
from mcpgateway.migrate.confirm import confirm
from mcpgateway.migrate.database import configured_connection
from mcpgateway.migrate.history import cache
from mcpgateway.migrate.history.graph import branch_of, script_directory
from mcpgateway.migrate.history.position import (
    Position,
    position,
    position_line,
    render,
)
from mcpgateway.migrate.history.revs import is_steps, resolve, sql_range
from mcpgateway.migrate.history.targets import downgrade_target, upgrade_target
from mcpgateway.migrate.models import owned_tables
from mcpgateway.migrate.options import RunOptions
from mcpgateway.migrate.paths import write_atomically
from mcpgateway.migrate.plugins import CORE, enabled_plugins
from mcpgateway.migrate.run import preflight
from mcpgateway.migrate.run.mariadb_load import MARKER
from mcpgateway.migrate.run.migrate import judge


def report_position(config: Config) -> Position:
    """Print the line each history's revision ends up on; returns the position."""
    where = position(config)
    current = {branch.name: branch.current for branch in where.branches}
    print(position_line(get_settings().database_url, current))
    return where


def remember(config: Config, where: Position) -> None:
    """Cache the graph for the at-head answer (``run.at_head``) unless a disabled plugin's
    history is in it (the answer is only for the enabled set)."""
    settings = get_settings()
    if {b.name for b in where.branches} != {CORE, *settings.plugins}:
        return
    cache.save(config, settings.plugins, where.history)


def cmd_up(args: argparse.Namespace) -> None:
    """Upgrade the core and every enabled plugin, or ``--plugin`` (with the core it needs)."""
    # The preflight (in env.py, under the lock) refuses forked heads, and a database holding
    # the models' tables without a version table (it loads them only then).
    config = load_config(RunOptions(mutation="upgrade", owned_tables=owned_tables))
    if getattr(args, "backup", False):
        print(f"backed up to {backup(get_settings().database_url)}")
    command.upgrade(config, upgrade_target(config, rev=args.rev, plugin=args.plugin))
    remember(config, report_position(config))


def cmd_down(args: argparse.Namespace) -> None:
    """Step back one revision (or ``--rev``), in the core or in ``--plugin`` only."""
    config = load_config(RunOptions(mutation="downgrade"))
    command.downgrade(config, downgrade_target(config, rev=args.rev, plugin=args.plugin))
    report_position(config)


def cmd_stamp(args: argparse.Namespace) -> None:
    """Record a revision in the database without running any migration. A recorded revision
    that no file has is replaced, after asking (``--yes`` does not) and saving the rows."""
    rev = required(args.rev, "REV", "make db-stamp REV=<revision>")
    config = load_config(RunOptions(mutation="stamp"))
    script = script_directory(config)
    rev = resolve(script, rev)  # a REV that names nothing fails before anything is asked
    with configured_connection() as connection:
        recorded = preflight.observe(connection).recorded
        unknown = judge(script, connection, purpose="stamp").unknown
    if unknown:
        url = get_settings().database_url
        replaced = ", ".join(unknown)
        print(f"the database records {replaced}, which no file has; REV={rev} replaces it")
        confirm(
            f"Replace {replaced} in {mask_url(url)} with {rev}?",
            yes=args.yes,
            command=f"db-stamp replaces the recorded {replaced}",
            cancelled="stamp cancelled; nothing was changed",
        )
        print(f"saved the version rows to {save_version_rows(url, recorded)}")
        config = load_config(RunOptions(mutation="stamp", replaces=unknown))
    history = re.fullmatch(r"(\w+)@base", rev)
    if history and history.group(1) != CORE:
        # A plugin's base: record every other history as it is and this one as nothing.
        # (Alembic's own stamp to <plugin>@base can move the history the plugin depends on.)
        others = [
            head
            for branch in position(config).branches
            if branch.name != history.group(1)
            for head in branch.current
        ]
        command.stamp(config, others or "base", purge=True)
    else:
        command.stamp(config, rev)
    report_position(config)


def cmd_current(_args: argparse.Namespace) -> None:
    """Show the revision each history (the core, each plugin) is at."""
    where = position(load_config())
    width = max(len(branch.name) for branch in where.branches)
    for branch in where.branches:
        if not branch.current:
            print(f"{branch.name:<{width}}  not applied")
            continue
        for rev in branch.current:
            mark = " (head)" if rev in branch.heads else ""
            print(f"{branch.name:<{width}}  {rev}{mark}")


def cmd_history(_args: argparse.Namespace) -> None:
    """List every revision, newest first, history by history."""
    script = script_directory(load_config())
    for name in [CORE, *(plugin.name for plugin in enabled_plugins())]:
        print(f"== {name} ==")
        for rev in script.walk_revisions():
            if branch_of(script, rev) == name:
                print(rev.cmd_format(verbose=True, include_branches=True) + "\n")


def cmd_heads(_args: argparse.Namespace) -> None:
    """List the head revisions."""
    command.heads(load_config(), verbose=True)


def cmd_show(args: argparse.Namespace) -> None:
    """Show one revision."""
    config = load_config()
    rev = required(args.rev, "REV", "make db-show REV=head")
    if rev == "base" or is_steps(rev):
        raise UsageError(f"REV={rev} is no revision to show; e.g. REV=head (make db-history)")
    command.show(config, resolve(script_directory(config), rev))


def cmd_status(_args: argparse.Namespace) -> int:
    """Show each history's current and head revision and what is pending; exit 1 if behind."""
    where = position(load_config())
    print(f"database: {mask_url(get_settings().database_url)}")
    print("\n".join(render(where)))
    with configured_connection() as connection:
        seen = preflight.observe(connection)
    if MARKER in seen.tables:  # db-up repairs this one itself, before the rest
        print(
            "a schema-file load stopped part-way here: make db-up finishes it, or drops what "
            "it made and loads it again"
        )
        return 1
    verdict = preflight.examine(seen, where.history, purpose="upgrade", owned=owned_tables)
    if verdict.refusal is not None:  # what db-up will do, not only what is pending
        print(f"db-up would refuse: {verdict.refusal}")
        return 1
    return 0 if where.at_head else 1


def cmd_sql(args: argparse.Namespace) -> None:
    """Print (or write to ``--file``) the SQL an upgrade would run, without a database."""
    if args.dialect and args.dialect not in SQL_DIALECTS:
        raise UsageError(f"DIALECT={args.dialect} is not one of {', '.join(SQL_DIALECTS)}")
    config = load_config(RunOptions(sql_dialect=args.dialect or None))
    rev = sql_range(script_directory(config), args.rev)
    if not args.file:
        command.upgrade(config, rev, sql=True)
        return
    target = _sql_file(args.file, force=args.force)
    out = io.StringIO()
    config.output_buffer = out
    command.upgrade(config, rev, sql=True)
    write_atomically(target, out.getvalue())
    print(f"wrote {target}")


def _sql_file(name: str, *, force: bool) -> Path:
    """Where db-sql may write: never the configured database, never over a file unasked."""
    target = Path(name)
    if target.is_dir():
        raise UsageError(f"FILE={name} is a folder; name a file in it, e.g. FILE={name}/up.sql")
    if not target.parent.is_dir():
        raise UsageError(f"FILE={name}: folder {target.parent} does not exist")
    url = make_url(get_settings().database_url)
    live = url.database if url.get_backend_name() == "sqlite" else None
    if live not in (None, "", ":memory:") and target.resolve() == Path(str(live)).resolve():
        raise UsageError(f"FILE={name} is the configured database; name another file")
    if target.exists() and not force:
        raise UsageError(f"FILE={name} exists; FORCE=1 replaces it, or name another file")
    return target


def cmd_bootstrap(_args: argparse.Namespace) -> None:
    """What the application runs at start: migrate only if behind, under the lock."""
    print(f"bootstrap: {bootstrap()}")
