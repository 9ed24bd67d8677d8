"""A function run in a forked copy of this process, watched as ``subprocess.Popen`` is watched
(``poll``, ``wait``, ``send_signal``, ``kill``), for ``replays``. The copy starts with
everything this process has imported, so it pays no interpreter start and no imports: the
replay db-check's models are compared on costs no more than one run in this process did.

Fork only while this process runs one thread: a copy holds only the thread that forked it, and
a lock another thread held at that moment stays held there for ever. ``can_fork`` says whether
that holds; where it does not (or this is not Linux), callers start a process instead.
"""

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

from mcpgateway.migrate.clients import die_with_parent


def can_fork() -> bool:
    """Whether a copy of this process may be forked now: on Linux (macOS's system libraries
    are not safe to use in a forked copy), with no thread but this one."""
    return sys.platform.startswith("linux") and threading.active_count() == 1


class Forked:
    """The copy running ``run``, which returns its exit code; its standard output and error
    written to the files ``stdout`` and ``stderr``."""

    def __init__(self, run: Callable[[], int], stdout: Path, stderr: Path) -> None:
        self.returncode: int | None = None
        self._lock = threading.Lock()
        sys.stdout.flush()
        sys.stderr.flush()
        parent = os.getpid()
        pid = os.fork()
        if pid == 0:  # the copy: never returns into the caller's code
            _run_copy(run, parent, stdout, stderr)
        self.pid = pid

    def poll(self) -> int | None:
        """Its exit code once it has ended, else None."""
        with self._lock:
            if self.returncode is None:
                try:
                    pid, status = os.waitpid(self.pid, os.WNOHANG)
                except ChildProcessError:  # reaped already (SIGCHLD ignored): as Popen has it,
                    pid, status = self.pid, 0  # its outcome is what it wrote
                if pid:
                    self.returncode = os.waitstatus_to_exitcode(status)
            return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        """Wait for it to end; ``subprocess.TimeoutExpired`` after ``timeout`` seconds."""
        deadline = None if timeout is None else time.monotonic() + timeout
        while (code := self.poll()) is None:
            if deadline is not None and time.monotonic() > deadline:
                raise subprocess.TimeoutExpired(f"forked {self.pid}", timeout or 0.0)
            time.sleep(0.005)
        return code

    def send_signal(self, sig: int) -> None:
        """Signal it, unless it has ended."""
        if self.poll() is None:
            os.kill(self.pid, sig)

    def kill(self) -> None:
        """SIGKILL, unless it has ended."""
        self.send_signal(signal.SIGKILL)


def _run_copy(run: Callable[[], int], parent: int, stdout: Path, stderr: Path) -> None:
    code = 1
    try:
        die_with_parent(signal.SIGTERM)  # as a started replay: it goes when this process goes
        if os.getppid() != parent:  # it went before that was armed
            return
        for fd, path in ((1, stdout), (2, stderr)):
            opened = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            os.dup2(opened, fd)
            os.close(opened)
        code = run()
        for thread in threading.enumerate():  # as an interpreter's exit waits for them
            if thread is not threading.current_thread() and not thread.daemon:
                thread.join()
    except BaseException:  # what failed is in the outcome ``run`` wrote, or its absence
        code = 1
    finally:
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        finally:
            os._exit(code)
