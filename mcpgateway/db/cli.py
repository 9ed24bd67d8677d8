"""``python -m mcpgateway.db``: one thin wrapper per Alembic command, one place for errors."""

import argparse
import io
import logging
import logging.config
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, NoReturn

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.util import CommandError
from sqlalchemy.engine import make_url

from mcpgateway.config import get_settings, mask_url
from mcpgateway.db.autogen import PLUGIN_SCOPE, WRITES_REVISION
from mcpgateway.db.backup import backup, restore
from mcpgateway.db.bootstrap import bootstrap
from mcpgateway.db.diagnose import explain, explain_crash
from mcpgateway.db.drift import drift, live_drift
from mcpgateway.db.info import report
from mcpgateway.db.integrity import accept, refuse_unmanaged, verify, verify_if_present
from mcpgateway.db.lock import MUTATES
from mcpgateway.db.migrations import SQL_DIALECT, current_heads, find_ini, load_config
from mcpgateway.db.plugins import enabled_plugin, enabled_plugins
from mcpgateway.db.registry import CORE, load_models
from mcpgateway.db.scaffold import check_name, create_plugin
from mcpgateway.db.snapshot import SNAPSHOT
from mcpgateway.db.status import (
    Position,
    branch_of,
    divergent_heads,
    position,
    remember_graph,
    render,
    require_single_heads,
    script_directory,
)
from mcpgateway.db.targets import downgrade_target, upgrade_target
from mcpgateway.errors import ChecksumMismatch, SchemaDrift, ToolkitError, UsageError

Handler = Callable[[argparse.Namespace], int | None]
SQL_DIALECTS = ("postgresql", "mysql", "mariadb", "sqlite")


def cmd_up(args: argparse.Namespace) -> None:
    """Upgrade the core and every enabled plugin, or ``--plugin`` (with the core it needs)."""
    config = load_config()
    require_single_heads(script_directory(config))
    if not current_heads():
        refuse_unmanaged(load_models)  # also names a broken model or plugin up front
    if getattr(args, "backup", False):
        print(f"backed up to {backup(get_settings().database_url)}")
    config.attributes[MUTATES] = "upgrade"
    config.attributes[SNAPSHOT] = args.rev == "heads" and not args.plugin
    command.upgrade(config, upgrade_target(rev=args.rev, plugin=args.plugin))
    remember_graph(_report_position(config))


def cmd_down(args: argparse.Namespace) -> None:
    """Step back one revision (or ``--rev``), in the core or in ``--plugin`` only."""
    config = load_config()
    config.attributes[MUTATES] = "downgrade"
    command.downgrade(config, downgrade_target(config, rev=args.rev, plugin=args.plugin))
    _report_position(config)


def cmd_new(args: argparse.Namespace) -> None:
    """Autogenerate a revision for the core's tables, or for ``--plugin``'s only."""
    message = _required(args.message, "MSG", 'make db-new MSG="add tool tags"')
    config = load_config()
    script = script_directory(config)
    require_single_heads(script)
    config.attributes[WRITES_REVISION] = True
    placement: dict[str, Any] = {"head": f"{CORE}@head"}
    if args.plugin:
        plugin = enabled_plugin(args.plugin)
        config.attributes[PLUGIN_SCOPE] = plugin.name
        plugin.versions_dir.mkdir(exist_ok=True)
        placement = {"head": f"{plugin.name}@head", "version_path": str(plugin.versions_dir)}
        if plugin.name not in {
            label for rev in script.walk_revisions() for label in rev.branch_labels
        }:
            # A plugin's first revision starts its own branch and needs today's core head.
            core_head = [h for h in script.get_heads() if branch_of(script, h) == CORE]
            placement |= {"head": "base", "branch_label": plugin.name, "depends_on": core_head}
    _wrote(command.revision(config, message=message, autogenerate=True, **placement))


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
    config = load_config()
    script = script_directory(config)
    names = [CORE, *(plugin.name for plugin in enabled_plugins())]
    for name in names:
        print(f"== {name} ==")
        for rev in script.walk_revisions():
            if branch_of(script, rev) == name:
                print(rev.cmd_format(verbose=True, include_branches=True) + "\n")


def cmd_plugin_new(args: argparse.Namespace) -> None:
    """Scaffold an in-tree plugin, then generate and apply its first revision."""
    name = (args.name or "").strip()
    check_name(name)
    import mcpgateway.plugins

    plugin = create_plugin(name, root=Path(mcpgateway.plugins.__path__[0]))
    print(f"created {_relative(plugin.path)}/ (models.py, versions/)")
    # Enable it for this run only; the user makes it permanent in PLUGINS.
    os.environ["PLUGINS"] = ",".join([*get_settings().plugins, name])
    get_settings.cache_clear()
    cmd_up(argparse.Namespace(rev="heads", plugin=None))
    cmd_new(argparse.Namespace(message=f"create {name} tables", plugin=name))
    cmd_up(argparse.Namespace(rev="heads", plugin=name))
    print(f"plugin {name} is applied; keep it enabled with PLUGINS={os.environ['PLUGINS']} in .env")


def cmd_heads(_args: argparse.Namespace) -> None:
    """List the head revisions."""
    command.heads(load_config(), verbose=True)


def cmd_show(args: argparse.Namespace) -> None:
    """Show one revision."""
    command.show(load_config(), _required(args.rev, "REV", "make db-show REV=head"))


def cmd_stamp(args: argparse.Namespace) -> None:
    """Record a revision in the database without running any migration."""
    config = load_config()
    config.attributes[MUTATES] = "stamp"
    command.stamp(config, _required(args.rev, "REV", "make db-stamp REV=<revision>"))
    _report_position(config)


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
    differences, earlier = (live_drift(config), False) if args.live else drift(config)
    if differences:
        listed = "".join(f"\n  {line}" for line in differences)
        raise SchemaDrift(
            f"the models and the migrations differ ({len(differences)}); "
            f'write a revision with make db-new MSG="..."{listed}'
        )
    edited, unchecked = verify_if_present(config)
    if edited:
        listed = "; ".join(m.describe() for m in edited)
        raise ChecksumMismatch(f"applied revisions were edited: {listed} (make db-verify)")
    against = mask_url(get_settings().database_url) if args.live else "a scratch database"
    if earlier:
        against += " by an earlier db-check, for these same revision files and models"
    checked = f"not checked ({unchecked})" if unchecked else "unchanged since they ran"
    print(
        f"ok: the models match the migrations (checked against {against}), one head each; "
        f"applied revisions {checked}"
    )


def cmd_sql(args: argparse.Namespace) -> None:
    """Print (or write to ``--file``) the SQL an upgrade would run, without a database."""
    if args.dialect and args.dialect not in SQL_DIALECTS:
        raise UsageError(f"DIALECT={args.dialect} is not one of {', '.join(SQL_DIALECTS)}")
    config = load_config()
    config.attributes[SQL_DIALECT] = args.dialect
    if not args.file:
        command.upgrade(config, args.rev, sql=True)
        return
    target = Path(args.file)
    if not target.parent.is_dir():
        raise UsageError(f"FILE={args.file}: folder {target.parent} does not exist")
    with target.open("w", encoding="utf-8") as out:
        config.output_buffer = out
        command.upgrade(config, args.rev, sql=True)
    print(f"wrote {target}")


def cmd_status(_args: argparse.Namespace) -> int:
    """Show each history's current and head revision and what is pending; exit 1 if behind."""
    where = position(load_config())
    print(f"database: {mask_url(get_settings().database_url)}")
    print("\n".join(render(where)))
    return 0 if where.at_head else 1


def cmd_bootstrap(_args: argparse.Namespace) -> None:
    """What the application runs at start: migrate only if behind, under the lock."""
    print(f"bootstrap: {bootstrap()}")


def cmd_backup(_args: argparse.Namespace) -> None:
    """Write a timestamped backup under backups/."""
    url = get_settings().database_url
    print(f"backed up {mask_url(url)} to {backup(url)}")


def cmd_restore(args: argparse.Namespace) -> None:
    """Replace the database with a backup, after confirmation (``--yes`` skips it)."""
    source = Path(_required(args.file, "FILE", "make db-restore FILE=backups/mcp-....sqlite"))
    url = get_settings().database_url
    if not source.is_file():
        raise UsageError(f"FILE={source} does not exist")
    if not args.yes:
        if not sys.stdin.isatty():
            raise UsageError(
                "db-restore replaces the database; confirm with YES=1 (no terminal to ask)"
            )
        try:
            answer = input(f"Replace everything in {mask_url(url)} with {source}? [y/N] ")
        except EOFError:  # Ctrl-D is a no
            answer = ""
        if answer.strip().lower() not in ("y", "yes"):
            raise UsageError("restore cancelled; nothing was changed")
    if make_url(url).get_backend_name() != "sqlite" or Path(make_url(url).database or "").exists():
        print(f"saved the current database first to {backup(url)}")
    restore(url, source)
    print(f"restored {mask_url(url)} from {source}")


def cmd_verify(_args: argparse.Namespace) -> int:
    """List applied revisions whose files changed since they ran; exit 1 if any."""
    found = verify(load_config())
    for mismatch in found:
        print(mismatch.describe())
    if found:
        print(f"{len(found)} edited; accept deliberately with make db-accept REV=<revision>")
        return 1
    print("ok: every applied revision is unchanged since it ran")
    return 0


def cmd_accept(args: argparse.Namespace) -> None:
    """Record the current checksum of edited applied revisions (REV=<rev> or ALL=1)."""
    wanted = ["all"] if args.all else [_required(args.rev, "REV", "make db-accept REV=<revision>")]
    for revision in accept(load_config(), wanted):
        print(f"accepted the edit of {revision}")


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
            _lint_new(Path(path), getattr(each, "revision", path))


def _lint_new(path: Path, revision: str) -> None:
    """What db-lint says of the revision just written; it does not stop db-new."""
    from mcpgateway.db.lint import Target, lint, summary

    findings = lint([Target(revision, path)])
    for finding in findings:
        print(finding.render())
    print(summary(findings, 1) + (" (make db-lint REV=... lints it again)" if findings else ""))


def cmd_lint(args: argparse.Namespace) -> int:
    """Lint revisions for locks and data loss: ALL, REV, the baseline, or the unapplied ones."""
    from mcpgateway.db.lint import failed, lint, summary
    from mcpgateway.db.lint.selection import select, write_baseline

    config = load_config()
    if args.baseline:
        path, heads = write_baseline(script_directory(config))
        print(f"wrote {_relative(path)}: db-lint now skips up to {', '.join(heads)}")
        return 0
    targets, why = select(config, all_=args.all, rev=args.rev)
    print(f"linting {len(targets)} revision{'s' if len(targets) != 1 else ''}: {why}")
    findings = lint(targets)
    for finding in findings:
        print(finding.render())
    print(summary(findings, len(targets)))
    return 1 if failed(findings) else 0


def _relative(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def _report_position(config: Config) -> Position:
    where = position(config)
    parts = [f"{b.name} {', '.join(b.current) or 'base'}" for b in where.branches]
    print(f"{mask_url(get_settings().database_url)} is at " + "; ".join(parts))
    return where


def cmd_bench(args: argparse.Namespace) -> None:
    """Build synthetic histories and time the toolkit, plain Alembic and the database."""
    from mcpgateway.db.bench import run_bench

    run_bench(
        sizes=args.sizes or "100,500",
        backends=args.backend or "",
        repeat=args.repeat or "3",
        output=Path(args.file or "bench/results.json"),
        source=Path(find_ini()).parent,
    )


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
    ("plugin-new", cmd_plugin_new, "scaffold a plugin"),
    ("bootstrap", cmd_bootstrap, "migrate at application start if behind"),
    ("backup", cmd_backup, "back up the database"),
    ("restore", cmd_restore, "restore a backup"),
    ("verify", cmd_verify, "list edited applied revisions"),
    ("accept", cmd_accept, "accept an edited applied revision"),
    ("lint", cmd_lint, "lint revisions for locks and data loss"),
    ("bench", cmd_bench, "measure the toolkit against plain Alembic and the floor"),
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
    parsers["restore"].add_argument("--file", help="the backup to restore")
    parsers["restore"].add_argument("--yes", action="store_true", help="do not ask")
    parsers["accept"].add_argument("--all", action="store_true", help="every edited revision")
    parsers["lint"].add_argument("--all", action="store_true", help="every revision")
    parsers["bench"].add_argument("--sizes", help="revision counts, e.g. 100,500")
    parsers["bench"].add_argument("--backend", help="postgresql, mariadb and/or sqlite")
    parsers["bench"].add_argument("--repeat", help="runs per contender (median)")
    parsers["bench"].add_argument("--file", help="where to write the JSON")
    parsers["lint"].add_argument("--baseline", action="store_true", help="record today's heads")
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
        _configure_logging()
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
    except Exception as exc:
        crash = explain_crash(exc)
        if crash is None:
            raise
        return _fail(str(crash), crash.exit_code)


def _configure_logging() -> None:
    # Once, as plain Alembic would from alembic.ini; env.py then leaves it alone, so a quiet
    # stretch (db-check's scratch database) stays quiet.
    if not logging.getLogger().handlers:
        logging.config.fileConfig(find_ini(), disable_existing_loggers=False)


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
