"""Interrupts held off while an undo runs: a second Ctrl-C, or the SIGTERM that make passes on
to a process whose group got one already, must not stop the undo of a load half-way."""

import contextlib
import signal
import sys
import threading
from collections.abc import Callable, Iterator
from types import FrameType
from typing import Any

SIGNALS = (signal.SIGINT, signal.SIGTERM)
Handler = Callable[[int, FrameType | None], Any] | int | signal.Handlers | None


@contextlib.contextmanager
def held_interrupts() -> Iterator[None]:
    """SIGINT and SIGTERM held off while the block runs (in the main thread; elsewhere signals
    do not arrive), then raised as one KeyboardInterrupt if one came and none is on its way."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    came: list[int] = []
    held: dict[signal.Signals, Handler] = {}
    while len(held) < len(SIGNALS):
        # A signal that lands while the handlers are being swapped is still the old handler's
        # (a KeyboardInterrupt here): it is counted, and the swap goes on.
        try:
            for sig in SIGNALS:
                if sig not in held:
                    held[sig] = signal.signal(sig, lambda signum, _frame: came.append(signum))
        except KeyboardInterrupt:
            came.append(signal.SIGINT)
    try:
        yield
    finally:
        for number, handler in held.items():
            signal.signal(number, handler)
    if came and sys.exc_info()[0] is None:
        raise KeyboardInterrupt
