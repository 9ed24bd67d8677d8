"""Which revisions ``make db-lint`` looks at: all (ALL=1), one (REV=), those newer than the
baseline recorded in the repo, or else those the configured database has not applied yet."""

from pathlib import Path

from alembic.config import Config
from alembic.script import Script, ScriptDirectory

from mcpgateway.errors import DatabaseUnreachable, UsageError
from mcpgateway.migrate.history.graph import add_version_locations, is_known, script_directory
from mcpgateway.migrate.history.position import position
from mcpgateway.migrate.history.revs import is_steps, resolve
from mcpgateway.migrate.lint import Target
from mcpgateway.migrate.plugins import discover

BASELINE_NAME = "lint-baseline"
BASELINE_HEADER = (
    "# Revisions up to these (and every one before them) are old history: make db-lint\n"
    "# skips them unless ALL=1. Written by make db-lint BASELINE=1; one revision per line.\n"
)


def baseline_path(script: ScriptDirectory) -> Path:
    """``alembic/lint-baseline``: beside the core's versions folder, in the repository."""
    return Path(script.dir) / BASELINE_NAME


def read_baseline(script: ScriptDirectory) -> set[str] | None:
    """The recorded revisions, or None when there is no baseline file."""
    path = baseline_path(script)
    if not path.exists():
        return None
    lines = (line.split("#", 1)[0].strip() for line in path.read_text().splitlines())
    return {line for line in lines if line}


def write_baseline(script: ScriptDirectory) -> tuple[Path, list[str]]:
    """Record today's heads (core and every enabled plugin) as the baseline."""
    heads = sorted(script.get_heads())
    path = baseline_path(script)
    path.write_text(BASELINE_HEADER + "".join(f"{head}\n" for head in heads), encoding="utf-8")
    return path, heads


def _in_order(script: ScriptDirectory) -> list[Script]:
    return list(reversed(list(script.walk_revisions())))


def _target(revision: Script) -> Target:
    return Target(revision.revision, Path(revision.path), revision.module)


def select(config: Config, *, all_: bool, rev: str | None) -> tuple[list[Target], str]:
    """The revisions to lint, oldest first, and a few words on why these."""
    script = script_directory(config)
    if rev:
        if rev in ("base", "heads") or "@" in rev or is_steps(rev):
            raise UsageError(f"REV={rev}: db-lint lints one revision; name it (make db-history)")
        found = script.get_revision(resolve(script, rev))
        assert found is not None
        return [_target(found)], f"revision {found.revision}"
    if all_:
        # Every plugin's history too, enabled or not: its revisions ship in the repository.
        add_version_locations(script, (plugin.versions_dir for plugin in discover().values()))
        return [_target(r) for r in _in_order(script)], "every revision (ALL=1)"
    baseline = read_baseline(script)
    if baseline is not None:
        known = [b for b in baseline if is_known(script, b)]
        old = {r.revision for b in known for r in script.iterate_revisions(b, "base")}
        chosen = [r for r in _in_order(script) if r.revision not in old]
        return [_target(r) for r in chosen], f"newer than the baseline in {BASELINE_NAME}"
    try:
        pending = position(config).pending
    except DatabaseUnreachable as exc:
        raise DatabaseUnreachable(
            f"{exc}; to lint without a database: ALL=1, or record a baseline with BASELINE=1"
        ) from None
    return [_target(r) for r in pending], "not yet applied to the configured database"
