"""An applied revision always does the same thing: it imports no application code that can
change, so editing the models changes none of its SQL, and the files rewritten for that emit
exactly what their earlier form did (tests/examples/revision_sql/, never regenerated)."""

import pytest

from tests.conftest import EXAMPLES, Project

GOLDEN = EXAMPLES / "revision_sql"
# The revisions the golden files were made from; later ones had no earlier form.
GOLDEN_REVISIONS = frozenset({"944f8b89e0f2", "070ddfcc0950", "66c37d7f92a7"})
STEP = "-- Running upgrade "
COMMIT = "COMMIT;\n\n"


def offline_sql(project: Project, dialect: str) -> str:
    """What make db-sql prints for the golden revisions, core and rate_limit, on ``dialect``."""
    result = project.make("db-sql", f"DIALECT={dialect}", PLUGINS="rate_limit")
    assert result.returncode == 0, result.stderr
    text, tail = result.stdout, ""
    if text.endswith(COMMIT):  # the run's own end, not the last revision's
        text, tail = text.removesuffix(COMMIT), COMMIT
    head, *steps = text.split(STEP)
    kept = [step for step in steps if step.split("\n", 1)[0].split()[-1] in GOLDEN_REVISIONS]
    assert len(kept) == len(GOLDEN_REVISIONS)
    return STEP.join([head, *kept]) + tail


@pytest.mark.parametrize("dialect", ["postgresql", "mysql"])
def test_rewritten_revisions_emit_what_they_did(project: Project, dialect: str) -> None:
    """Assert that the revisions' SQL is byte for byte what their earlier form emitted."""
    assert offline_sql(project, dialect) == (GOLDEN / f"{dialect}.sql").read_text()


@pytest.mark.parametrize("dialect", ["postgresql", "mysql"])
def test_editing_the_models_changes_no_applied_revision(project: Project, dialect: str) -> None:
    """Assert that a new Visibility member, a wider id and another naming convention in the
    models leave every revision's SQL exactly as it was."""
    enums = project.root / "mcpgateway" / "db" / "models" / "enums.py"
    enums.write_text(
        enums.read_text().replace('PUBLIC = "public"', 'PUBLIC = "public"\n    ORG = "org"')
    )
    base = project.root / "mcpgateway" / "db" / "base.py"
    text = base.read_text()
    edited = text.replace("UUID_LENGTH = 36", "UUID_LENGTH = 40").replace('"ck_%', '"check_%')
    assert edited != text
    base.write_text(edited)
    assert offline_sql(project, dialect) == (GOLDEN / f"{dialect}.sql").read_text()
