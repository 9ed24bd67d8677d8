"""db-check's comparison of the committed schema files with fresh replays (``schema_files``),
side by side (``replays``) while the models are compared; and, when the core is every history,
the SQLite replay's database, on which the models are compared (``checks.drift``)."""

import difflib
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from alembic.config import Config
from alembic.script import ScriptDirectory

from mcpgateway.config import get_settings
from mcpgateway.errors import DatabaseUnreachable
from mcpgateway.migrate import replays, schema_files
from mcpgateway.migrate.history import digest
from mcpgateway.migrate.history.graph import branch_of
from mcpgateway.migrate.history.header import read_text
from mcpgateway.migrate.paths import shown_path
from mcpgateway.migrate.plugins import CORE
from mcpgateway.migrate.replays import Job

AGAIN = "remove it; make db-schema writes it again"


@dataclass(frozen=True)
class Comparison:
    """What ``comparing`` yields. ``result`` waits for the replays and gives a unified diff per
    file that differs from its fresh replay and a line per backend whose server could not be
    reached. ``replayed`` waits until the core's SQLite replay has built its database and gives
    a copy of it, at heads when the core is the only history: what the models are compared
    with. None if there is none (a plugin is enabled, no SQLite file) or the replay failed."""

    result: Callable[[], tuple[list[str], list[str]]]
    replayed: Callable[[], Path | None]


@contextmanager
def comparing(config: Config, script: ScriptDirectory) -> Iterator[Comparison]:
    """Start replaying for each committed schema file (the core's and each enabled plugin's).
    A history without its schema folder has nothing to compare; a file the settings keep that
    is gone is a difference. ``script``: the revisions ``config`` names, loaded."""
    diffs: list[str] = []
    jobs: dict[Job, tuple[Path, str]] = {}
    owners = digest.owners(config)
    folder = Path(tempfile.mkdtemp(prefix="mcpgateway-check-"))
    try:
        keep = folder / "heads.db" if _core_is_every_history(owners, script) else None
        for owner in owners:
            for backend in schema_files.BACKENDS:
                committed = owner.path(backend)
                if committed.is_file():
                    try:
                        text = read_text(committed)
                    except OSError as exc:
                        why = exc.strerror or type(exc).__name__
                        diffs.append(f"{shown_path(committed)} cannot be read ({why}): {AGAIN}")
                        continue
                    aside = keep if backend == "sqlite" else None
                    jobs[Job(owner.name, backend, committed, aside)] = (committed, text)
                elif committed.exists() or committed.is_symlink():
                    diffs.append(f"{shown_path(committed)} is not a readable file: {AGAIN}")
                elif (
                    backend in get_settings().migration_schema_backends
                    and owner.folder.is_dir()
                    and digest.heads(config, owner)
                ):
                    diffs.append(f"{shown_path(committed)} is missing: make db-schema writes it")

        def result() -> tuple[list[str], list[str]]:
            found, unreachable = running.results(), []
            for job in relayed:
                running.relay(job)
            for job, (committed, old) in jobs.items():
                shown, fresh = shown_path(committed), found[job]
                if isinstance(fresh, DatabaseUnreachable):
                    unreachable.append(f"{job.backend}: {fresh}; {shown} not compared")
                elif old != fresh:
                    lines = difflib.unified_diff(
                        old.splitlines(keepends=True),
                        fresh.splitlines(keepends=True),
                        f"{shown} (committed)",
                        f"{shown} (a fresh replay)",
                    )
                    diffs.append("".join(list(lines)[:DIFF_LINES]))
            return diffs, unreachable

        relayed: list[Job] = []

        def replayed() -> Path | None:
            job = next((job for job in jobs if job.keep), None)
            if job is None or keep is None:
                return None
            while not keep.is_file() and not running.finished(job):
                time.sleep(0.005)
            if not keep.is_file():
                return None  # it failed: the caller replays, and meets the failure itself
            relayed.append(job)
            running.relay(job)  # what the revisions printed, shown once (the rest at the end)
            return keep

        worker, replay = schema_files.__name__, schema_files.replay_one
        with replays.side_by_side(list(jobs), worker, replay) as running:
            yield Comparison(result, replayed)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _core_is_every_history(owners: list[digest.Owner], script: ScriptDirectory) -> bool:
    """Whether every head of ``script`` is the core's (no plugin among the ``owners``, no other
    root in its folders): then a replay of the core is at the heads the models describe."""
    if len(owners) != 1:
        return False
    return all(branch_of(script, head) == CORE for head in script.get_heads())


DIFF_LINES = 60  # of each file's diff shown; make db-schema and git diff show the rest
