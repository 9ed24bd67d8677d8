"""Operating a database: backups and restores, diagnostics, and the benchmark."""

import argparse
from pathlib import Path

from sqlalchemy.engine import make_url

from mcpgateway.config import get_settings, mask_url
from mcpgateway.errors import DatabaseUnreachable
from mcpgateway.migrate import schema_files
from mcpgateway.migrate.alembic_config import find_ini, load_config
from mcpgateway.migrate.backup import backup
from mcpgateway.migrate.bench import parse_backends, run_bench
from mcpgateway.migrate.commands import required
from mcpgateway.migrate.confirm import confirm
from mcpgateway.migrate.info import report
from mcpgateway.migrate.restore import check_restorable, restore


def cmd_backup(_args: argparse.Namespace) -> None:
    """Write a timestamped backup under backups/."""
    url = get_settings().database_url
    print(f"backed up {mask_url(url)} to {backup(url)}")


def cmd_restore(args: argparse.Namespace) -> None:
    """Replace the database with a backup, after confirmation (``--yes`` skips it)."""
    source = Path(required(args.file, "FILE", "make db-restore FILE=backups/mcp-....sqlite"))
    url = get_settings().database_url
    check_restorable(url, source)  # before asking, and before anything is touched
    confirm(
        f"Replace everything in {mask_url(url)} with {source}?",
        yes=args.yes,
        command="db-restore replaces the database",
        cancelled="restore cancelled; nothing was changed",
    )
    saved = None
    if make_url(url).get_backend_name() != "sqlite" or Path(make_url(url).database or "").exists():
        saved = backup(url)
        print(f"saved the current database first to {saved}")
    if saved is not None:  # on a failure part-way, the line says where the database as it was is
        args.unfinished = f"the database as it was is in {saved}"
    restore(url, source)
    args.unfinished = None
    print(f"restored {mask_url(url)} from {source}")


def cmd_schema(args: argparse.Namespace) -> None:
    """Write alembic/schema/<backend>.sql: the core's schema at head, as each backend dumps it
    (``--backend``: those only)."""
    backends = tuple(parse_backends(args.backend)) if args.backend else None
    written, stale = schema_files.write(load_config(), backends)
    for path in written:
        print(schema_files.wrote(path))
    if stale:
        raise DatabaseUnreachable("; ".join(stale))
    if not written:
        print('nothing to write: no history has a revision yet (make db-new MSG="..." writes one)')


def cmd_info(_args: argparse.Namespace) -> None:
    """Print diagnostics: settings and their sources, the database, the scripts."""
    print("\n".join(report(load_config())))


def cmd_bench(args: argparse.Namespace) -> None:
    """Build synthetic histories and time the toolkit, plain Alembic and the database."""
    run_bench(
        sizes=args.sizes or "100,500",
        backends=args.backend or "",
        repeat=args.repeat or "3",
        output=Path(args.file or "bench/results.json"),
        source=Path(find_ini()).parent,
    )
