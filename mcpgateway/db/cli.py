"""``python -m mcpgateway.db``: one thin wrapper per Alembic command, one place for errors."""

import argparse
import io
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import NoReturn

import sqlalchemy as sa
from alembic import command
from alembic.util import CommandError

from mcpgateway.config import get_settings, mask_url
from mcpgateway.db.autogen import WRITES_REVISION
from mcpgateway.db.diagnose import explain
from mcpgateway.db.drift import drift, live_drift
from mcpgateway.db.info import report
from mcpgateway.db.migrations import current_heads, load_config
from mcpgateway.db.status import divergent_heads, position, require_single_heads, script_directory
from mcpgateway.errors import SchemaDrift, ToolkitError, UsageError

Handler = Callable[[argparse.Namespace], int | None]
SQL_DIALECTS = ("postgresql", "mysql", "mariadb", "sqlite")


def cmd_up(args: argparse.Namespace) -> None:
    """Upgrade to ``--rev`` (default: every head)."""
    config = load_config()
    require_single_heads(script_directory(config))
    command.upgrade(config, args.rev)
    _report_position()


def cmd_down(args: argparse.Namespace) -> None:
    """Downgrade to ``--rev`` (default: one step back)."""
    command.downgrade(load_config(), args.rev)
    _report_position()


def cmd_new(args: argparse.Namespace) -> None:
    """Autogenerate a revision from the difference between the models and the database."""
    message = _required(args.message, "MSG", 'make db-new MSG="add tool tags"')
    config = load_config()
    require_single_heads(script_directory(config))
    config.attributes[WRITES_REVISION] = True
    _wrote(command.revision(config, message=message, autogenerate=True))


def cmd_current(_args: argparse.Namespace) -> None:
    """Show the revision the database is at."""
    command.current(load_config(), verbose=True)


def cmd_history(_args: argparse.Namespace) -> None:
    """List every revision, newest first."""
    command.history(load_config(), verbose=True)


def cmd_heads(_args: argparse.Namespace) -> None:
    """List the head revisions."""
    command.heads(load_config(), verbose=True)


def cmd_show(args: argparse.Namespace) -> None:
    """Show one revision."""
    command.show(load_config(), _required(args.rev, "REV", "make db-show REV=head"))


def cmd_stamp(args: argparse.Namespace) -> None:
    """Record a revision in the database without running any migration."""
    command.stamp(load_config(), _required(args.rev, "REV", "make db-stamp REV=<revision>"))
    _report_position()


def cmd_merge(args: argparse.Namespace) -> None:
    """Write a merge revision for every history that has forked."""
    message = _required(args.message, "MSG", 'make db-merge MSG="merge heads"')
    config = load_config()
    groups = divergent_heads(script_directory(config))
    if not groups:
        raise UsageError("nothing to merge: every history has a single head (make db-heads)")
    for heads in groups:
        _wrote(command.merge(config, list(heads), message=message))


def cmd_check(args: argparse.Namespace) -> None:
    """Fail if the models differ from what the migrations build, or if history has forked."""
    config = load_config(stdout=io.StringIO())  # our one line replaces Alembic's
    require_single_heads(script_directory(config))
    differences = live_drift(config) if args.live else drift(config)
    if differences:
        listed = "".join(f"\n  {line}" for line in differences)
        raise SchemaDrift(
            f"the models and the migrations differ ({len(differences)}); "
            f'write a revision with make db-new MSG="..."{listed}'
        )
    against = mask_url(get_settings().database_url) if args.live else "a scratch database"
    print(f"ok: the models match the migrations (checked against {against}), one head each")


def cmd_sql(args: argparse.Namespace) -> None:
    """Print (or write to ``--file``) the SQL an upgrade would run, without a database."""
    if args.dialect and args.dialect not in SQL_DIALECTS:
        raise UsageError(f"DIALECT={args.dialect} is not one of {', '.join(SQL_DIALECTS)}")
    rev = args.rev
    if not args.file:
        config = load_config()
        config.attributes["sql_dialect"] = args.dialect
        command.upgrade(config, rev, sql=True)
        return
    target = Path(args.file)
    if not target.parent.is_dir():
        raise UsageError(f"FILE={args.file}: folder {target.parent} does not exist")
    with target.open("w", encoding="utf-8") as out:
        config = load_config()
        config.output_buffer = out
        config.attributes["sql_dialect"] = args.dialect
        command.upgrade(config, rev, sql=True)
    print(f"wrote {target}")


def cmd_status(_args: argparse.Namespace) -> int:
    """Show current, head and pending revisions; exit 1 when the database is behind."""
    where = position(load_config())
    print(f"database: {mask_url(get_settings().database_url)}")
    print(f"current:  {', '.join(where.current) or 'base (no revision applied)'}")
    print(f"head:     {', '.join(where.heads)}")
    if where.at_head:
        print("pending:  none, the database is at head")
        return 0
    print(f"pending:  {len(where.pending)} (make db-up applies them)")
    for script in where.pending:
        print(f"  {script.revision}  {script.doc}")
    return 1


def cmd_info(_args: argparse.Namespace) -> None:
    """Print diagnostics: settings and their sources, the database, the scripts."""
    print("\n".join(report(load_config())))


def _required(value: str | None, variable: str, example: str) -> str:
    if value is None or not value.strip():
        raise UsageError(f"{variable} is required, e.g. {example}")
    return value


def _wrote(script: object) -> None:
    for each in script if isinstance(script, list) else [script]:
        path = getattr(each, "path", None)
        if path:
            print(f"wrote {_relative(Path(path))}: review it, then run make db-up")


def _relative(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def _report_position() -> None:
    heads = current_heads()
    where = ", ".join(heads) if heads else "base (no revision applied)"
    print(f"{mask_url(get_settings().database_url)} is at {where}")


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.exit(2, f"error: {message} (see python -m mcpgateway.db --help)\n")


COMMANDS: list[tuple[str, Handler, str]] = [
    ("up", cmd_up, "upgrade the database"),
    ("down", cmd_down, "downgrade the database"),
    ("new", cmd_new, "autogenerate a revision"),
    ("current", cmd_current, "show the current revision"),
    ("history", cmd_history, "list revisions"),
    ("heads", cmd_heads, "list head revisions"),
    ("show", cmd_show, "show one revision"),
    ("stamp", cmd_stamp, "record a revision without migrating"),
    ("merge", cmd_merge, "merge forked heads"),
    ("check", cmd_check, "compare the models with the migrations"),
    ("sql", cmd_sql, "print the upgrade SQL offline"),
    ("status", cmd_status, "current, head and pending revisions"),
    ("info", cmd_info, "diagnostics"),
]


def build_parser() -> argparse.ArgumentParser:
    """The CLI's arguments. Make passes user text as arguments, quoted from the environment;
    an empty value means the default."""
    parser = _Parser(prog="python -m mcpgateway.db", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    parsers = {}
    for name, handler, help_text in COMMANDS:
        parsers[name] = sub.add_parser(name, help=help_text, description=handler.__doc__)
        parsers[name].set_defaults(handler=handler, rev=None)
    for name in ("up", "down", "show", "stamp", "sql"):
        parsers[name].add_argument("--rev", help="target revision, -N, base, heads or a:b")
    for name, default in (("up", "heads"), ("down", "-1"), ("sql", "heads")):
        parsers[name].set_defaults(default_rev=default)
    for name in ("new", "merge"):
        parsers[name].add_argument("-m", "--message", help="what the revision does")
    parsers["sql"].add_argument("--dialect", help=f"one of {', '.join(SQL_DIALECTS)}")
    parsers["sql"].add_argument("--file", help="write the SQL here instead of stdout")
    parsers["check"].add_argument(
        "--live", action="store_true", help="compare with the configured database instead"
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; every expected failure becomes one line on stderr and an exit code."""
    args = build_parser().parse_args(argv)
    args.rev = args.rev or getattr(args, "default_rev", None)
    try:
        return args.handler(args) or 0
    except ToolkitError as exc:
        return _fail(str(exc), exc.exit_code)
    except CommandError as exc:
        clearer = _explain(exc, args.rev)
        return _fail(str(clearer or exc), clearer.exit_code if clearer else 1)
    except sa.exc.DBAPIError as exc:
        return _fail(f"database error: {str(exc.orig).strip().splitlines()[0]}", 1)
    except KeyboardInterrupt:
        return _fail("interrupted", 130)
    except BrokenPipeError:
        # The reader (e.g. `| head`) went away; as the Python docs advise, point stdout at
        # devnull so the interpreter's final flush does not raise again.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141


def _explain(exc: CommandError, rev: str | None) -> ToolkitError | None:
    try:
        return explain(exc, config=load_config(), rev=rev)
    except ToolkitError as secondary:
        return secondary


def _fail(message: str, code: int) -> int:
    print(f"error: {message}", file=sys.stderr)
    return code


if __name__ == "__main__":
    raise SystemExit(main())
