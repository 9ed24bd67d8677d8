"""``python -m mcpgateway.db``: one thin wrapper per Alembic command, one place for errors."""

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import NoReturn

import sqlalchemy as sa
from alembic import command
from alembic.util import CommandError

from mcpgateway.config import get_settings, mask_url
from mcpgateway.db.autogen import WRITES_REVISION
from mcpgateway.db.migrations import current_heads, load_config
from mcpgateway.errors import ToolkitError, UsageError

Handler = Callable[[argparse.Namespace], None]


def cmd_up(args: argparse.Namespace) -> None:
    """Upgrade to ``--rev`` (default: head)."""
    command.upgrade(load_config(), args.rev)
    _report_position()


def cmd_down(args: argparse.Namespace) -> None:
    """Downgrade to ``--rev`` (default: one step back)."""
    command.downgrade(load_config(), _required(args.rev, "REV", "make db-down REV=-1"))
    _report_position()


def cmd_new(args: argparse.Namespace) -> None:
    """Autogenerate a revision from the difference between the models and the database."""
    message = _required(args.message, "MSG", 'make db-new MSG="add tool tags"')
    config = load_config()
    config.attributes[WRITES_REVISION] = True
    script = command.revision(config, message=message, autogenerate=True)
    if script is not None and not isinstance(script, list):
        print(f"wrote {_relative(Path(script.path))}: review it, then run make db-up")


def cmd_current(_args: argparse.Namespace) -> None:
    """Show the revision the database is at."""
    command.current(load_config(), verbose=True)


def cmd_history(_args: argparse.Namespace) -> None:
    """List every revision, newest first."""
    command.history(load_config(), verbose=True)


def _required(value: str | None, variable: str, example: str) -> str:
    if value is None or not value.strip():
        raise UsageError(f"{variable} is required, e.g. {example}")
    return value


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


def build_parser() -> argparse.ArgumentParser:
    """The CLI's arguments; Make passes user text as arguments, quoted from the environment."""
    parser = _Parser(prog="python -m mcpgateway.db", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    commands: list[tuple[str, Handler, str]] = [
        ("up", cmd_up, "upgrade the database"),
        ("down", cmd_down, "downgrade the database"),
        ("new", cmd_new, "autogenerate a revision"),
        ("current", cmd_current, "show the current revision"),
        ("history", cmd_history, "list revisions"),
    ]
    parsers = {}
    for name, handler, help_text in commands:
        parsers[name] = sub.add_parser(name, help=help_text, description=handler.__doc__)
        parsers[name].set_defaults(handler=handler)
    parsers["up"].add_argument("--rev", default="heads", help="target revision (default: heads)")
    parsers["down"].add_argument("--rev", default="-1", help="target: -N, base or a revision")
    parsers["new"].add_argument("-m", "--message", help="what the revision changes")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; every expected failure becomes one line on stderr and an exit code."""
    args = build_parser().parse_args(argv)
    try:
        args.handler(args)
    except ToolkitError as exc:
        return _fail(str(exc), exc.exit_code)
    except CommandError as exc:
        return _fail(str(exc), 1)
    except sa.exc.DBAPIError as exc:
        return _fail(f"database error: {str(exc.orig).strip().splitlines()[0]}", 1)
    except KeyboardInterrupt:
        return _fail("interrupted", 130)
    return 0


def _fail(message: str, code: int) -> int:
    print(f"error: {message}", file=sys.stderr)
    return code


if __name__ == "__main__":
    raise SystemExit(main())
