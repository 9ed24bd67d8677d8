"""``python -m mcpgateway.migrate``: the command line. Arguments in, one handler out
(``commands/``), and every expected failure turned into one line and an exit code here."""

import argparse
import logging
import logging.config
import os
import signal
import sys
import threading
from collections.abc import Sequence
from importlib import import_module
from typing import TYPE_CHECKING, Any, NoReturn

from mcpgateway.migrate import SQL_DIALECTS
from mcpgateway.migrate.run.early import early_load

if TYPE_CHECKING:
    from mcpgateway.migrate.commands import Handler

PROG = "python -m mcpgateway.migrate"


class Lazy:
    """A command's handler, ``module:function`` under ``commands/``, imported when called: a run
    imports only its own command's modules (``db-up`` is run most, and fastest)."""

    def __init__(self, reference: str) -> None:
        self.reference = reference

    def load(self) -> "Handler":
        module, name = self.reference.split(":")
        handler: Handler = getattr(import_module(f"mcpgateway.migrate.commands.{module}"), name)
        return handler

    def __call__(self, args: argparse.Namespace) -> int | None:
        return self.load()(args)


class _Parser(argparse.ArgumentParser):
    def __init__(self, *args: Any, handler: Lazy | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.handler = handler

    def format_help(self) -> str:
        if self.handler is not None and self.description is None:
            self.description = self.handler.load().__doc__  # the command's own words
        return super().format_help()

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"error: {message} (see {PROG} --help)\n")


COMMANDS: list[tuple[str, str, str]] = [
    ("up", "schema:cmd_up", "upgrade the database"),
    ("down", "schema:cmd_down", "downgrade the database"),
    ("new", "authoring:cmd_new", "autogenerate a revision"),
    ("current", "schema:cmd_current", "show the current revision"),
    ("history", "schema:cmd_history", "list revisions"),
    ("heads", "schema:cmd_heads", "list head revisions"),
    ("show", "schema:cmd_show", "show one revision"),
    ("stamp", "schema:cmd_stamp", "record a revision without migrating"),
    ("merge", "authoring:cmd_merge", "merge forked heads"),
    ("check", "checks:cmd_check", "compare the models with the migrations"),
    ("sql", "schema:cmd_sql", "print the upgrade SQL offline"),
    ("status", "schema:cmd_status", "current, head and pending revisions"),
    ("info", "operations:cmd_info", "diagnostics"),
    ("plugin-new", "plugin_new:cmd_plugin_new", "scaffold a plugin"),
    ("bootstrap", "schema:cmd_bootstrap", "migrate at application start if behind"),
    ("backup", "operations:cmd_backup", "back up the database"),
    ("restore", "operations:cmd_restore", "restore a backup"),
    ("verify", "checks:cmd_verify", "list edited applied revisions"),
    ("accept", "checks:cmd_accept", "accept an edited applied revision"),
    ("lint", "checks:cmd_lint", "lint revisions for locks and data loss"),
    ("bench", "operations:cmd_bench", "measure the toolkit against plain Alembic and the floor"),
    (
        "schema",
        "operations:cmd_schema",
        "write alembic/schema/<backend>.sql from a replay on each backend",
    ),
]


def build_parser() -> argparse.ArgumentParser:
    """The CLI's arguments. Make passes user text as arguments, quoted from the environment;
    an empty value means the default."""
    parser = _Parser(prog=PROG, description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    parsers = {}
    for name, reference, help_text in COMMANDS:
        handler = Lazy(reference)
        parsers[name] = sub.add_parser(name, help=help_text, handler=handler)
        parsers[name].set_defaults(handler=handler, rev=None, unfinished=None)
    for name in ("up", "down", "show", "stamp", "sql", "accept", "lint"):
        parsers[name].add_argument("--rev", help="target revision, -N, base, heads or a:b")
    for name, default in (("up", "heads"), ("down", "-1"), ("sql", "heads")):
        parsers[name].set_defaults(default_rev=default)
    for name in ("new", "merge"):
        parsers[name].add_argument("-m", "--message", help="what the revision does")
    for name in ("up", "down", "new"):
        parsers[name].add_argument("--plugin", help="limit the command to this plugin")
    parsers["plugin-new"].add_argument("--name", help="the new plugin's name")
    parsers["up"].add_argument("--backup", action="store_true", help="back up first")
    parsers["new"].add_argument(
        "--empty", action="store_true", help="an empty revision to write by hand (no autogenerate)"
    )
    parsers["restore"].add_argument("--file", help="the backup to restore")
    for name in ("restore", "stamp"):
        parsers[name].add_argument("--yes", action="store_true", help="do not ask")
    parsers["accept"].add_argument("--all", action="store_true", help="every edited revision")
    parsers["lint"].add_argument("--all", action="store_true", help="every revision")
    parsers["bench"].add_argument("--sizes", help="revision counts, e.g. 100,500")
    for name in ("bench", "schema"):
        parsers[name].add_argument("--backend", help="postgresql, mariadb and/or sqlite")
    parsers["bench"].add_argument("--repeat", help="runs per contender (median)")
    parsers["bench"].add_argument("--file", help="where to write the JSON")
    parsers["lint"].add_argument("--baseline", action="store_true", help="record today's heads")
    parsers["sql"].add_argument("--dialect", help=f"one of {', '.join(SQL_DIALECTS)}")
    parsers["sql"].add_argument("--file", help="write the SQL here instead of stdout")
    parsers["sql"].add_argument("--force", action="store_true", help="replace an existing file")
    parsers["check"].add_argument(
        "--live", action="store_true", help="compare with the configured database instead"
    )
    return parser


def plain_up(args: argparse.Namespace) -> bool:
    """``up`` to every head, no plugin, no backup: the one the at-head answer may give."""
    return (
        args.command == "up"
        and args.rev in ("heads", "head")
        and not args.plugin
        and not args.backup
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; every expected failure becomes one line on stderr and an exit code."""
    args = build_parser().parse_args(argv)
    args.rev = args.rev or getattr(args, "default_rev", None)
    # A deploy that is stopped (SIGTERM) unwinds like Ctrl-C: locks released, scratch
    # databases dropped, a part-way marker left for the next run to report.
    main_thread = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGTERM, _interrupt) if main_thread else None
    try:
        return _run(args)
    finally:
        if main_thread:
            signal.signal(signal.SIGTERM, previous)


def _interrupt(_signum: int, _frame: object) -> None:
    raise KeyboardInterrupt


def _run(args: argparse.Namespace) -> int:
    # Nothing here imports Alembic before a plain db-up has sent an empty PostgreSQL database
    # its schema file (run.early): the server builds while this process imports and checks.
    try:
        if plain_up(args):
            with early_load() as early:
                _configure_logging()
                from mcpgateway.migrate.run.at_head import up_at_head
                from mcpgateway.migrate.run.fresh import up_from_schema_files

                done = up_at_head() or up_from_schema_files(early)
            if done:
                return 0
        _configure_logging()
        result: int | None = args.handler(args)
        return result or 0
    except BrokenPipeError:
        # The reader (e.g. `| head`) went away; as the Python docs advise, point stdout at
        # devnull so the interpreter's final flush does not raise again.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141
    except SystemExit as exc:  # not argparse's (parsed before): code the command ran ended it
        from mcpgateway.migrate.explain import exited

        return _fail(exited(exc), 1, args)
    except (Exception, KeyboardInterrupt) as exc:
        from mcpgateway.migrate.explain import failure

        said = failure(exc, rev=args.rev)
        if said is None:
            raise
        return _fail(*said, args)


def _configure_logging() -> None:
    # Once, as plain Alembic would from alembic.ini; env.py then leaves it alone, so a quiet
    # stretch (db-check's scratch database) stays quiet.
    from mcpgateway.migrate.alembic_config import find_ini

    if not logging.getLogger().handlers:
        logging.config.fileConfig(find_ini(), disable_existing_loggers=False)


def _fail(message: str, code: int, args: argparse.Namespace | None = None) -> int:
    # A command that stopped part-way says how to finish (args.unfinished, set as it goes).
    then = getattr(args, "unfinished", None)
    print(f"error: {message}" + (f"; {then}" if then else ""), file=sys.stderr)
    return code
