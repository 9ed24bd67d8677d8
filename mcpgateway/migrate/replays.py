"""Schema-file replays side by side, each in a process of its own (``make db-check``,
``make db-schema``): one per history and backend, at most one per core at a time, so the
servers replay while this process goes on (db-check compares the models meanwhile). Alembic
keeps its operations in module-level proxies, so two replays cannot share a process.

Each child is ``python -m mcpgateway.migrate.schema_files`` (the module that asks), started in
this working folder with this environment; through ``serve`` it writes what the file must hold,
or why it could not, as JSON. A child stopped (SIGTERM, Ctrl-C) drops its scratch database on
the way out, and dies with this process.
"""

import functools
import json
import logging
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import NoReturn, TextIO

from mcpgateway.errors import DatabaseUnreachable, ToolkitError
from mcpgateway.migrate.clients import die_with_parent
from mcpgateway.migrate.explain import failure
from mcpgateway.migrate.forked import Forked, can_fork

STOP_WAIT = 30.0  # seconds a stopped replay gets to drop its scratch database
# Replays at once: each is a Python process loading every revision (the servers' share of the
# work overlaps better than the processes' own), beside this one.
PARALLEL = max(2, os.cpu_count() or 1)


@dataclass(frozen=True)
class Job:
    """One replay: ``owner``'s history (the core's, or a plugin's on top of it) on ``backend``;
    ``committed``, the committed file it is compared with, settles it (``schema_files``)."""

    owner: str
    backend: str
    committed: Path | None = None
    # Where to copy the replayed database (SQLite) for db-check's models comparison, which then
    # needs no replay of its own: run first, by a forked copy of this process where it can be.
    keep: Path | None = None


class Running:
    """The replays, started ``PARALLEL`` at a time by a thread of their own as earlier ones end
    (this process goes on meanwhile); ``results`` waits for them all. A job that keeps its
    database is started first, beside the others, and by a copy of this process forked before
    that thread starts, if ``forked`` (the worker's own replay function) is given."""

    def __init__(
        self, jobs: Sequence[Job], folder: Path, worker: str, forked: "Replay | None" = None
    ) -> None:
        self.worker = worker
        self.children: list[tuple[Job, subprocess.Popen[bytes] | Forked, Path]] = []
        self._lock = threading.Lock()
        self._stopped = False
        self._relayed: dict[tuple[Path, str], int] = {}
        queued = list(enumerate(sorted(jobs, key=lambda job: job.keep is None)))
        copies = [(i, job) for i, job in queued if job.keep and forked and can_fork()]
        spawned = [numbered for numbered in queued if numbered not in copies]
        self._feeder = threading.Thread(target=self._feed, args=(spawned, folder), daemon=True)
        try:
            for index, job in copies:
                assert forked is not None  # copies are chosen only with it
                out = folder / f"replay-{index}.json"
                argv = [job.owner, job.backend, str(out), str(job.committed or ""), str(job.keep)]
                run = functools.partial(serve, argv, forked)
                copy = Forked(run, out.with_suffix(".stdout"), out.with_suffix(".stderr"))
                self.children.append((job, copy, out))
            self._feeder.start()
        except BaseException:  # Ctrl-C between the fork and the thread: the copy goes too
            self.stop()
            raise

    def _running(self, *, counted: bool = False) -> int:
        """The replays running; ``counted``: those that count against ``PARALLEL`` (one that
        keeps its database replaces the one db-check ran in its own process)."""
        return sum(
            child.poll() is None and not (counted and job.keep)
            for job, child, _out in self.children
        )

    def finished(self, job: Job) -> bool:
        """Whether ``job``'s replay has ended (False until it has started)."""
        return any(child.poll() is not None for mine, child, _out in self.children if mine == job)

    def relay(self, job: Job) -> None:
        """Write what ``job``'s replay (started) has printed since last asked to this process's
        standard output and error, byte for byte."""
        out = next(out for mine, _child, out in self.children if mine == job)
        for suffix, stream in ((".stdout", sys.stdout), (".stderr", sys.stderr)):
            said = out.with_suffix(suffix).read_bytes()
            start, self._relayed[out, suffix] = self._relayed.get((out, suffix), 0), len(said)
            _write(stream, said[start:])

    def _feed(self, jobs: list[tuple[int, Job]], folder: Path) -> None:
        for index, job in jobs:
            while not job.keep and self._running(counted=True) >= PARALLEL and not self._stopped:
                time.sleep(0.02)
            with self._lock:
                if self._stopped:
                    break
                out = folder / f"replay-{index}.json"
                argv = [sys.executable, "-m", self.worker, job.owner, job.backend, str(out)]
                with (
                    out.with_suffix(".stdout").open("wb") as stdout,
                    out.with_suffix(".stderr").open("wb") as stderr,
                ):
                    child = subprocess.Popen(
                        [*argv, str(job.committed or ""), str(job.keep or "")],
                        stdin=subprocess.DEVNULL,
                        stdout=stdout,
                        stderr=stderr,
                        preexec_fn=lambda: die_with_parent(signal.SIGTERM),
                    )
                self.children.append((job, child, out))
        # Linux signals a child when the thread that started it ends (PR_SET_PDEATHSIG): this
        # one lives until they all have.
        while self._running():
            time.sleep(0.02)

    def results(self) -> dict[Job, str | DatabaseUnreachable]:
        """Each job's text, or the server it could not reach; the first other failure raises
        (after every replay has ended)."""
        self._feeder.join()
        found: dict[Job, str | DatabaseUnreachable] = {}
        failed: ToolkitError | None = None
        for job, child, out in self.children:
            code = child.wait()
            said = json.loads(out.read_text(encoding="utf-8")) if out.is_file() else {}
            if "text" in said:
                found[job] = said["text"]
            elif "unreachable" in said:
                found[job] = DatabaseUnreachable(said["unreachable"])
            elif failed is None:
                failed = ToolkitError(said.get("error") or _died(job, code, out))
                failed.exit_code = int(said.get("code", 1))
        if failed is not None:
            raise failed
        return found

    def stop(self) -> None:
        """Start no more, and stop those still running; each drops its scratch database first."""
        with self._lock:
            self._stopped = True
        for _job, child, _out in self.children:
            if child.poll() is None:
                child.send_signal(signal.SIGTERM)
                child.send_signal(signal.SIGCONT)  # one stopped (SIGSTOP) goes on to see it
        deadline = time.monotonic() + STOP_WAIT
        for _job, child, _out in self.children:
            try:
                child.wait(timeout=max(0.0, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()
        if self._feeder.is_alive():
            self._feeder.join()


def _write(stream: TextIO, said: bytes) -> None:
    """``said`` on ``stream``: its bytes where it has a buffer, else decoded."""
    buffer = getattr(stream, "buffer", None)
    stream.flush()
    if buffer is not None:
        buffer.write(said)
        buffer.flush()
    else:
        stream.write(said.decode("utf-8", errors="replace"))


def _died(job: Job, code: int, out: Path) -> str:
    """A replay that ended without writing its outcome: its exit code and last words."""
    errors = out.with_suffix(".stderr").read_text(encoding="utf-8", errors="replace")
    last = next((line.strip() for line in reversed(errors.splitlines()) if line.strip()), "")
    return f"the replay of {job.owner} on {job.backend} ended (exit {code}) without a result" + (
        f": {last}" if last else ""
    )


@contextmanager
def side_by_side(
    jobs: Sequence[Job], worker: str, forked: "Replay | None" = None
) -> Iterator[Running]:
    """Start ``jobs``, each as ``python -m <worker>`` (a module that calls ``serve``), a job
    that keeps its database as a copy of this process running ``forked`` where it can;
    whatever happens in the ``with`` block, none outlives it."""
    with tempfile.TemporaryDirectory(prefix="mcpgateway-replays-") as folder:
        running = Running(jobs, Path(folder), worker, forked)
        try:
            yield running
        finally:
            running.stop()


def _interrupted(_signum: int, _frame: object) -> NoReturn:
    # Once: a second signal (Ctrl-C reaches the whole group, then the parent stops its
    # children) must not cut short the drop of the scratch database that this one started.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    raise KeyboardInterrupt


# (history, backend, committed file, where to copy the replayed database) -> text
Replay = Callable[[str, str, Path | None, Path | None], str]


def _path(text: str) -> Path | None:
    return Path(text) if text else None


def serve(argv: Sequence[str], replay: Replay) -> int:
    """In the child: ``replay`` one history on one backend, the outcome written to ``argv[2]``."""
    signal.signal(signal.SIGTERM, _interrupted)
    signal.signal(signal.SIGINT, _interrupted)
    # Only what went wrong reaches stderr (its last line is shown if this process dies); env.py
    # leaves logging that is configured already alone.
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s [%(name)s] %(message)s")
    owner, backend, out, committed, keep = argv
    said: dict[str, str | int]
    try:
        said = {"text": replay(owner, backend, _path(committed), _path(keep))}
    except DatabaseUnreachable as exc:
        said = {"unreachable": str(exc)}
    except (Exception, KeyboardInterrupt) as exc:
        message, code = failure(exc) or (f"{type(exc).__name__}: {exc}", 1)
        said = {"error": f"replaying {owner} on {backend}: {message}", "code": code}
    partial = Path(f"{out}.partial")
    partial.write_text(json.dumps(said), encoding="utf-8")
    os.replace(partial, out)
    return 0 if "error" not in said else int(said["code"])
