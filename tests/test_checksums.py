"""What counts as editing an applied revision: what it does, not how it is written."""

from pathlib import Path

import pytest

from mcpgateway.migrate.run.checksum import accepted_checksums, checksum, legacy_checksum

REVISION = '''"""add a column

Revision ID: c0ffee000001
"""

import sqlalchemy as sa
from alembic import op

revision = "c0ffee000001"
down_revision = None
downgrade_loses: tuple[str, ...] = ("tools.rank",)


def upgrade() -> None:
    """Apply it."""
    op.add_column("tools", sa.Column("rank", sa.Integer(), nullable=True))


def downgrade() -> None:
    """Revert it."""
    op.drop_column("tools", "rank")
'''

SAME = {
    "a comment": REVISION.replace(
        "def upgrade", "# lint: allow drop-column -- unused\ndef upgrade"
    ),
    "a docstring": REVISION.replace('"""Apply it."""', '"""Apply it, carefully."""'),
    "the module docstring": REVISION.replace("add a column", "add a rank column"),
    "downgrade_loses": REVISION.replace('("tools.rank",)', "()"),
    "formatting": REVISION.replace('"tools", "rank"', "'tools',\n        'rank',"),
    "blank lines": REVISION.replace("\n\n\ndef", "\n\n\n\n\ndef"),
}
EDITED = {
    "code hidden in a declaration": REVISION.replace(
        "def upgrade", "SIZE = downgrade_loses = 100\n\n\ndef upgrade"
    ),
    "a declaration inside upgrade()": REVISION.replace(
        '    """Apply it."""\n',
        '    """Apply it."""\n    downgrade_loses = op.execute("DELETE FROM t")\n',
    ),
    "a declaration that calls": REVISION.replace(
        '("tools.rank",)', 'tuple(op.execute("DELETE FROM t") or ())'
    ),
    "a type": REVISION.replace("sa.Integer()", "sa.BigInteger()"),
    "a string": REVISION.replace('"rank", sa', '"rank2", sa'),
    "nullability": REVISION.replace("nullable=True", "nullable=False"),
    "a new statement": REVISION + "\nTIMEOUT = 5\n",
    "the downgrade": REVISION.replace('op.drop_column("tools", "rank")', "pass"),
}


def digest(tmp_path: Path, text: str) -> str:
    """The checksum of ``text`` as a revision file."""
    path = tmp_path / "revision.py"
    path.write_text(text)
    return checksum(path)


@pytest.mark.parametrize("change", sorted(SAME))
def test_not_an_edit(tmp_path: Path, change: str) -> None:
    """Assert that comments, docstrings, formatting and the declaration leave it unchanged."""
    assert digest(tmp_path, SAME[change]) == digest(tmp_path, REVISION)


@pytest.mark.parametrize("change", sorted(EDITED))
def test_an_edit(tmp_path: Path, change: str) -> None:
    """Assert that any change to what the revision does is caught."""
    assert digest(tmp_path, EDITED[change]) != digest(tmp_path, REVISION)


def test_an_earlier_release_checksum_still_matches(tmp_path: Path) -> None:
    """Assert that a whole-file checksum (what stop 9 recorded) matches the unchanged file."""
    path = tmp_path / "revision.py"
    path.write_text(REVISION)
    assert legacy_checksum(path) in accepted_checksums(path)
    assert checksum(path) in accepted_checksums(path)
    recorded = legacy_checksum(path)
    path.write_text(EDITED["a type"])
    assert recorded not in accepted_checksums(path)


def test_a_declared_earlier_form_still_matches(tmp_path: Path) -> None:
    """Assert that ``previous_checksums`` is accepted, and is not part of the checksum itself:
    a rewrite that runs the same statements can name what databases recorded for it."""
    path = tmp_path / "revision.py"
    path.write_text(REVISION)
    earlier = checksum(path)
    path.write_text(SAME["formatting"] + f'\nprevious_checksums = ("{"0" * 64}", "{earlier}")\n')
    assert checksum(path) == earlier
    assert earlier in accepted_checksums(path)
    assert "0" * 64 in accepted_checksums(path)
    path.write_text(EDITED["a type"] + '\nprevious_checksums = ("x",)\n')
    assert checksum(path) != earlier
