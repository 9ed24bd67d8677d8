"""Asking before a command replaces something: a terminal is asked, anything else needs YES=1."""

import sys

from mcpgateway.errors import UsageError


def confirm(question: str, *, yes: bool, command: str, cancelled: str) -> None:
    """Return if the user agrees (or ``yes``); else one UsageError. ``command`` is what replaces
    (for the line without a terminal), ``cancelled`` what the refusal says was kept."""
    if yes:
        return
    if not sys.stdin.isatty():
        raise UsageError(f"{command}; confirm with YES=1 (no terminal to ask)")
    try:
        answer = input(f"{question} [y/N] ")
    except EOFError:  # Ctrl-D is a no
        answer = ""
    if answer.strip().lower() not in ("y", "yes"):
        raise UsageError(cancelled)
