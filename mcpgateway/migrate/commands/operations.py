"""Operating a database: backups and restores, diagnostics, and the benchmark."""

import argparse
import sys
from pathlib import Path

from sqlalchemy.engine import make_url

from mcpgateway.config import get_settings, mask_url
from mcpgateway.errors import UsageError
from mcpgateway.migrate.alembic_config import find_ini, load_config
from mcpgateway.migrate.backup import backup
from mcpgateway.migrate.bench import run_bench
from mcpgateway.migrate.commands import required
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
