"""db-schema proves each file before db-up may load it: the file is loaded into a scratch
database, and only if that database's own dump is the replay's, line for line, does the file
say db-up loads it. PostgreSQL keeps some expressions in another form once it has parsed its
own dump; those files say db-up runs the revisions instead, and it does."""

from pathlib import Path

import pytest

from mcpgateway.migrate.history.header import LOADS, REPLAYS
from tests.backends import provisioned
from tests.conftest import Project
from tests.helpers import head_revision
from tests.test_schema_files import with_schema_files
from tests.test_schema_load import loaded_dump, replayed_dump

REVISION = '''"""{name}, on PostgreSQL only"""

from alembic import op

revision = "f00d00000002"
down_revision = "{parent}"
branch_labels = None
depends_on = None
downgrade_loses: tuple[str, ...] = ()


def upgrade() -> None:
    """{name}."""
    if op.get_bind().dialect.name == "postgresql":
        op.execute({sql!r})


def downgrade() -> None:
    """Drop it."""
    if op.get_bind().dialect.name == "postgresql":
        op.execute({undo!r})
'''

# What a revision makes, whether a load of pg_dump's text (its IN-lists written as they came)
# builds it as the revision did, and how to undo it.
CASES = {
    # PostgreSQL parses a domain's IN-list back into another form: replayed, never loaded.
    "a domain with an IN-list": (
        "CREATE DOMAIN tool_mode AS varchar(10) CHECK (VALUE IN ('stdio', 'sse'))",
        False,
        "DROP DOMAIN tool_mode",
    ),
    # An IN-list cast on a CHAR column: written as an IN-list it would compare with blanks.
    "a CHAR column compared as text": (
        "CREATE TABLE codes (c CHAR(3), CONSTRAINT ck_codes_c "
        "CHECK (c::text = ANY (ARRAY['a '::varchar, 'b '::varchar])))",
        False,
        "DROP TABLE codes",
    ),
    # An IN-list on an integer column cast to text: written as an IN-list it does not load.
    "an integer column compared as text": (
        "CREATE TABLE counts (n INTEGER, CONSTRAINT ck_counts_n "
        "CHECK (n::text = ANY (ARRAY['1'::varchar, '2'::varchar])))",
        False,
        "DROP TABLE counts",
    ),
    # A default whose text looks like an IN-list: a literal, left as it is, and loaded.
    "a default that reads like an IN-list": (
        "CREATE TABLE notes (role VARCHAR(6), note TEXT DEFAULT "
        "'CHECK ( (role)::text = ANY ((ARRAY[''a''::character varying])::text[])', "
        "CONSTRAINT ck_notes_role CHECK (role IN ('owner', 'member')))",
        True,
        "DROP TABLE notes",
    ),
}


@pytest.mark.parametrize("case", list(CASES))
def test_db_up_loads_only_a_file_proven_to_build_what_the_revisions_build(
    project: Project, tmp_path: Path, case: str
) -> None:
    """Assert that db-schema says whether db-up may load the PostgreSQL file, that db-up loads
    it or runs the revisions accordingly, and that either way the database's own dump (pg_dump
    --schema-only) and the file's are the replay's; db-check passes, and a second db-schema
    gives the same bytes."""
    sql, loadable, undo = CASES[case]
    folder = with_schema_files(project)
    parent = head_revision(project)
    revision = project.root / "alembic" / "versions" / "20990101_000000_proof.py"
    revision.write_text(REVISION.format(name=case, parent=parent, sql=sql, undo=undo))
    made = project.make("db-schema")
    assert made.returncode == 0, made.stderr
    path = folder / "postgresql.sql"
    text = path.read_text()
    assert text.split("\n")[4] == (LOADS if loadable else REPLAYS)
    assert ("db-up runs the revisions on an empty database" in made.stdout) != loadable
    assert project.make("db-schema").returncode == 0
    assert path.read_text() == text
    with provisioned("postgresql", tmp_path / "loaded") as url:
        up = project.make("db-up", DATABASE_URL=url)
        assert up.returncode == 0, up.stderr
        assert ("loaded alembic/schema/postgresql.sql" in up.stderr) == loadable
        assert ("Running upgrade" in up.stderr) != loadable
        (tmp_path / "replay").mkdir()
        assert loaded_dump(url) == replayed_dump(project, "postgresql", tmp_path / "replay")
        project.env["DATABASE_URL"] = url
        checked = project.make("db-check")
        assert checked.returncode == 0, checked.stderr
