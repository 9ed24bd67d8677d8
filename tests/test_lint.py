"""make db-lint: each rule fires on its fixture revision and on no other, the safe forms pass,
allow comments silence only their rule, and the project's own revisions pass."""

from pathlib import Path

import pytest

from mcpgateway.errors import ToolkitError
from mcpgateway.migrate.lint import Finding, Target, failed, lint, summary
from mcpgateway.migrate.lint import squawk as squawk_module
from mcpgateway.migrate.lint.catalog import INFO, RULES
from tests.conftest import PROJECT_ROOT, Project
from tests.helpers import assert_one_error, head_revision

FIXTURES = Path(__file__).with_name("lint_fixtures")
EVERY = frozenset({"postgresql", "mysql", "sqlite"})
POSTGRES, MARIADB, SQLITE = frozenset({"postgresql"}), frozenset({"mysql"}), frozenset({"sqlite"})

# fixture -> (the one rule it must trigger, on these dialects)
UNSAFE = {
    "drop_table": ("drop-table", EVERY),
    "drop_column": ("drop-column", EVERY),
    "rename_column": ("rename-column", EVERY),
    "rename_table": ("rename-table", EVERY),
    "change_type": ("change-type", EVERY),
    "add_not_null_column": ("add-not-null-column", EVERY),
    "set_not_null": ("set-not-null", EVERY),
    "index_not_concurrent": ("index-not-concurrent", POSTGRES),
    "drop_index_not_concurrent": ("index-not-concurrent", POSTGRES),
    "concurrently_in_transaction": ("concurrently-in-transaction", POSTGRES),
    "constraint_not_valid": ("constraint-not-valid", POSTGRES),
    "add_unique_constraint": ("add-unique-constraint", POSTGRES),
    "volatile_default": ("volatile-default", POSTGRES),
    "missing_downgrade": ("missing-downgrade", frozenset()),
    "unbatched_update": ("unbatched-update", EVERY),
    "mariadb_copy": ("mariadb-copy", MARIADB),
    "sqlite_rebuild": ("sqlite-rebuild", SQLITE),
    "probable_rename": ("probable-rename", EVERY),
    "backend_cannot_create": ("backend-cannot-create", MARIADB),
    "revision_error": ("revision-error", EVERY),
    "drop_index_before_table": ("drop-index-before-table", MARIADB),
}
SAFE = ("safe_index", "safe_unique", "safe_foreign_key", "safe_check", "safe_backfill")
SAFE += ("safe_add_column",)


def findings_of(name: str) -> list[Finding]:
    """Lint one fixture revision."""
    return lint([Target(name, FIXTURES / f"{name}.py")])


def fired(findings: list[Finding]) -> set[tuple[str, frozenset[str]]]:
    """The rules that fired, not allowed, with their dialects."""
    return {(f.rule.id, frozenset(f.dialects)) for f in findings if f.allowed is None}


def test_every_rule_has_a_fixture() -> None:
    """Assert that each rule a revision can break has a fixture here."""
    covered = {rule for rule, _ in UNSAFE.values()} | {"allow-without-reason", "offline-render"}
    assert covered == set(RULES)


@pytest.mark.parametrize("name", sorted(UNSAFE))
def test_fixture_triggers_its_rule_and_no_other(name: str) -> None:
    """Assert the fixture's rule fires on its dialects, at the operation's line, and that
    nothing else does (but SQLite's informational rebuild note, where batch mode copies)."""
    rule, dialects = UNSAFE[name]
    findings = findings_of(name)
    expected = {(rule, dialects)}
    if rule != "sqlite-rebuild":
        rebuild_notes = {(f.rule.id, frozenset(f.dialects)) for f in findings} - {(rule, dialects)}
        assert rebuild_notes <= {("sqlite-rebuild", SQLITE)}
        expected |= rebuild_notes
    assert fired(findings) == expected
    assert failed(findings) is (RULES[rule].severity == "error")
    (finding,) = (f for f in findings if f.rule.id == rule)
    line = (FIXTURES / f"{name}.py").read_text().splitlines()[finding.line - 1]
    if rule == "sqlite-rebuild":
        assert "batch_alter_table" in line
    elif rule == "missing-downgrade":
        assert line.startswith("def downgrade")
    else:
        assert "batch_alter_table" not in line, line  # the operation, not its batch block
        assert "(" in line


@pytest.mark.parametrize("name", SAFE)
def test_safe_form_passes(name: str) -> None:
    """Assert that the helpers' safe forms raise no error or warning on any dialect."""
    findings = findings_of(name)
    assert {f.rule.id for f in findings if f.rule.severity != INFO} == set()
    assert not failed(findings)


def test_postgres_findings_come_from_squawk() -> None:
    """Assert that PostgreSQL's lock rules are squawk's findings, with squawk's words."""
    (finding,) = findings_of("index_not_concurrent")
    assert "require-concurrent-index-creation" in finding.squawk
    report = finding.render()
    assert "index_not_concurrent.py:" in report
    assert "error index-not-concurrent [postgresql]" in report
    assert "fix: helpers.create_index_concurrently" in report


def test_allow_comment_silences_only_its_rule() -> None:
    """Assert that an allow names its rule and reason, and the other finding still fails."""
    findings = findings_of("allowed")
    by_rule = {f.rule.id: f for f in findings}
    assert by_rule["drop-column"].allowed == "column unused since 1.4"
    assert "allowed: column unused since 1.4" in by_rule["drop-column"].render()
    assert by_rule["drop-table"].allowed is None
    assert failed(findings)
    assert "1 allowed" in summary(findings, 1)


def test_allow_without_a_reason_is_itself_an_error() -> None:
    """Assert that ``# lint: allow rule`` with no reason does not silence anything."""
    findings = findings_of("allowed_without_reason")
    assert fired(findings) == {("allow-without-reason", frozenset()), ("drop-table", EVERY)}


def test_project_revisions_pass_with_reasons() -> None:
    """Assert that the project's own revisions (core and plugins) pass, every allow explained."""
    paths = [*PROJECT_ROOT.glob("alembic/versions/*.py")]
    paths += PROJECT_ROOT.glob("mcpgateway/plugins/*/versions/*.py")
    findings = lint([Target(path.stem, path) for path in sorted(paths)])
    assert not failed(findings), "\n".join(f.render() for f in findings)
    assert all(f.allowed for f in findings if f.allowed is not None)


def test_missing_squawk_is_one_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    """Assert that a squawk that cannot run says so and how to get it."""
    monkeypatch.setattr(squawk_module, "squawk_binary", lambda: "/nonexistent/squawk")
    with pytest.raises(ToolkitError, match="cannot run squawk .* run make install"):
        findings_of("drop_table")


def test_db_lint_picks_the_revisions_not_yet_applied(project_on: Project) -> None:
    """Assert the default selection against each backend: what the database has not applied;
    an unsafe new revision fails with its finding at the operation's line."""
    fresh = project_on.make("db-lint")
    assert fresh.returncode == 0, fresh.stdout + fresh.stderr
    assert "linting 3 revisions: not yet applied to the configured database" in fresh.stdout
    assert "allowed set-not-null" in fresh.stdout
    assert project_on.make("db-up").returncode == 0
    unsafe = add_unsafe_revision(project_on)
    found = project_on.make("db-lint")
    assert found.returncode != 0
    assert "linting 1 revision: not yet applied" in found.stdout
    line = unsafe.read_text().splitlines().index('        batch.drop_column("description")') + 1
    assert f"{unsafe.name}:{line}: error drop-column [postgresql, mysql, sqlite]" in found.stdout
    assert "db-lint: 1 revision: 1 error, 0 warnings, 1 info, 0 allowed" in found.stdout


def add_unsafe_revision(project: Project) -> Path:
    """Put the drop-column fixture on top of the project's head."""
    head = head_revision(project)
    unsafe = (FIXTURES / "drop_column.py").read_text().replace("944f8b89e0f2", head)
    target = project.root / "alembic" / "versions" / "20990101_000000_drop_description.py"
    target.write_text(unsafe)
    return target


def test_db_lint_all_one_or_newer_than_a_baseline(project: Project) -> None:
    """Assert ALL=1 (every plugin's too), REV=, and BASELINE=1; none needs a database."""
    add_unsafe_revision(project)
    every = project.make("db-lint", "ALL=1")
    assert every.returncode != 0
    assert "linting 5 revisions: every revision (ALL=1)" in every.stdout  # rate_limit's too
    head = head_revision(project)
    one = project.make("db-lint", f"REV={head}")
    assert "linting 1 revision: revision" in one.stdout
    assert_one_error(project.make("db-lint", "REV=nope"), "REV=nope")
    wrote = project.make("db-lint", "BASELINE=1")
    assert wrote.returncode == 0, wrote.stderr
    assert f"wrote alembic/lint-baseline: db-lint now skips up to {head}" in wrote.stdout
    assert "linting 0 revisions: newer than the baseline" in project.make("db-lint").stdout
