"""db-check, db-verify, db-accept and db-lint: judging the migrations and the database."""

import argparse
import io
import os

from mcpgateway.config import get_settings, mask_url
from mcpgateway.errors import ChecksumMismatch, SchemaDrift
from mcpgateway.migrate import schema_compare
from mcpgateway.migrate.alembic_config import load_config
from mcpgateway.migrate.checks.drift import drift, live_drift
from mcpgateway.migrate.checks.integrity import accept, verify, verify_if_present
from mcpgateway.migrate.commands import required
from mcpgateway.migrate.database import quiet_migration_log
from mcpgateway.migrate.history.graph import script_directory
from mcpgateway.migrate.history.position import require_single_heads
from mcpgateway.migrate.lint import failed, lint, summary
from mcpgateway.migrate.lint.selection import select, write_baseline
from mcpgateway.migrate.options import RunOptions
from mcpgateway.migrate.paths import shown_path
from mcpgateway.migrate.run.preflight import Mismatch


def cmd_check(args: argparse.Namespace) -> None:
    """Fail if the models differ from what the migrations build, or if history has forked."""
    # Our one line replaces Alembic's.
    config = load_config(RunOptions(autogenerate="check"), stdout=io.StringIO())
    script = script_directory(config)
    require_single_heads(script)
    # The schema files' replays run in processes of their own while the models are loaded and
    # compared (on the SQLite replay's database, when it replays every history).
    with schema_compare.comparing(config, script) as comparison:
        # The configured database's checksums, read while the replays run; reported last,
        # a failure to read them too.
        try:
            verified: tuple[list[Mismatch], str | None] | Exception = verify_if_present(config)
        except Exception as exc:
            verified = exc
        # Each difference is listed once, in our words: autogenerate's own INFO lines held back.
        with quiet_migration_log("alembic.autogenerate", "alembic.ddl"):
            differences = live_drift(config) if args.live else drift(config, comparison.replayed)
        if differences:
            listed = "".join(f"\n  {line}" for line in differences)
            raise SchemaDrift(
                f"the models and the migrations differ ({len(differences)}); "
                f'write a revision with make db-new MSG="..."{listed}'
            )
        _check_schema_files(*comparison.result())
    if isinstance(verified, Exception):
        raise verified
    edited, unchecked = verified
    if edited:
        listed = "; ".join(m.describe() for m in edited)
        raise ChecksumMismatch(f"applied revisions were edited: {listed} (make db-verify)")
    against = mask_url(get_settings().database_url) if args.live else "a scratch database"
    checked = f"not checked ({unchecked})" if unchecked else "unchanged since they ran"
    print(
        f"ok: the models match the migrations (checked against {against}), one head each; "
        f"applied revisions {checked}"
    )


def _check_schema_files(diffs: list[str], unreachable: list[str]) -> None:
    """The committed alembic/schema/ files must be what a fresh replay dumps (issue: a view or
    trigger a revision adds, an edited revision, a stale file). A server that cannot be
    reached is named; under CI=true that fails."""
    for line in unreachable:
        print(f"db-check: {line}")
    if diffs:
        raise SchemaDrift(
            "alembic/schema/ differs from a fresh replay of the revisions: run make db-schema, "
            "review and commit the diff\n" + "\n".join(diffs).rstrip("\n")
        )
    if unreachable and os.environ.get("CI", "").lower() == "true":
        raise SchemaDrift(f"schema files not compared under CI: {'; '.join(unreachable)}")


def cmd_verify(_args: argparse.Namespace) -> int:
    """List applied revisions whose files changed since they ran; exit 1 if any."""
    found = verify(load_config())
    for mismatch in found:
        print(mismatch.describe())
    if found:
        print(f"{len(found)} edited; accept deliberately with make db-accept REV=<revision>")
        return 1
    print("ok: every applied revision is unchanged since it ran")
    return 0


def cmd_accept(args: argparse.Namespace) -> None:
    """Record the current checksum of edited applied revisions (REV=<rev> or ALL=1)."""
    wanted = ["all"] if args.all else [required(args.rev, "REV", "make db-accept REV=<revision>")]
    for revision in accept(load_config(), wanted):
        print(f"accepted the edit of {revision}")


def cmd_lint(args: argparse.Namespace) -> int:
    """Lint revisions for locks and data loss: ALL, REV, the baseline, or the unapplied ones."""
    config = load_config()
    if args.baseline:
        path, heads = write_baseline(script_directory(config))
        print(f"wrote {shown_path(path)}: db-lint now skips up to {', '.join(heads)}")
        return 0
    targets, why = select(config, all_=args.all, rev=args.rev)
    print(f"linting {len(targets)} revision{'s' if len(targets) != 1 else ''}: {why}")
    findings = lint(targets)
    for finding in findings:
        print(finding.render())
    print(summary(findings, len(targets)))
    return 1 if failed(findings) else 0
