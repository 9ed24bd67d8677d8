"""The command's entry point: ``db-up`` with nothing to do is answered by ``fastpath`` (no
Alembic import); every other command, and every run it declines, goes to ``cli``."""

import sys
from collections.abc import Sequence


def plain_up(argv: Sequence[str]) -> bool:
    """``up`` to every head, no plugin, no backup: the one the fast path may answer."""
    if not argv or argv[0] != "up":
        return False
    rest = list(argv[1:])
    options: dict[str, str] = {}
    while rest:
        flag = rest.pop(0)
        if flag not in ("--rev", "--plugin") or not rest:
            return False  # --backup, or anything else: the full path
        options[flag] = rest.pop(0)
    return options.get("--rev", "") in ("", "heads") and not options.get("--plugin")


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command."""
    args = list(sys.argv[1:] if argv is None else argv)
    if plain_up(args):
        from mcpgateway.db.fastpath import up_at_head

        if up_at_head():
            return 0
    # Mako (Alembic's template engine) imports pygments, when it is installed, only to colour
    # the HTML traceback of a template error, which this command never shows: ~60 ms a run.
    sys.modules.setdefault("pygments", None)  # type: ignore[arg-type]
    from mcpgateway.db.cli import main as full

    return full(args)
