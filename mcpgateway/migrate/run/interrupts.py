"""Interrupts held off while an undo runs: a second Ctrl-C, or the SIGTERM that make passes on
to a process whose group got one already, must not stop the undo of a load half-way."""

import contextlib
import signal
import sys
import threading
from collections.abc import Iterator

SIGNALS = (signal.SIGINT, signal.SIGTERM)


@contextlib.contextmanager
def held_interrupts() -> Iterator[None]:
    """SIGINT and SIGTERM held off while the block runs (in the main thread; elsewhere signals
    do not arrive), then raised as one KeyboardInterrupt if one came and none is on its way."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    came: list[int] = []
    held = {sig: signal.signal(sig, lambda signum, _frame: came.append(signum)) for sig in SIGNALS}
    try:
        yield
    finally:
        for sig, handler in held.items():
            signal.signal(sig, handler)
    if came and sys.exc_info()[0] is None:
        raise KeyboardInterrupt
