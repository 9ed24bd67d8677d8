"""REV forms Alembic misreads get one line each, and the forms that work go where they say."""

from tests.conftest import Project
from tests.helpers import FORK_TEMPLATE, assert_one_error, head_revision, versions_of


def add_chain(project: Project, *revs: str) -> None:
    """Append revisions ``revs`` to the core history, one after the other."""
    parent = head_revision(project)
    for rev in revs:
        path = project.root / "alembic" / "versions" / f"20990101_000000_step_{rev}.py"
        path.write_text(FORK_TEMPLATE.format(rev=rev, parent=parent))
        parent = rev


def recorded(project: Project) -> set[str]:
    """The revisions the copy's default SQLite database records."""
    return versions_of(f"sqlite:///{project.root / 'mcp.db'}")


def test_ambiguous_prefix_names_its_matches(project: Project) -> None:
    """Assert that a prefix of two revisions names both, on every command that takes REV."""
    add_chain(project, "aaaa11110000", "aaab00000000")
    for target in ("db-up", "db-down", "db-stamp", "db-show", "db-sql"):
        assert_one_error(
            project.make(target, "REV=aaa"), "REV=aaa is ambiguous", "aaaa11110000", "aaab00000000"
        )
    result = project.make("db-up", "REV=aaaa")  # one match: a prefix still works
    assert result.returncode == 0, result.stderr
    assert recorded(project) == {"aaaa11110000"}


def test_walks_past_either_end_are_refused(project: Project) -> None:
    """Assert that ``head+N``, ``<rev>-N`` past base and ``-0`` say what is wrong, and that a
    walk that stays inside the history goes where it says."""
    add_chain(project, "aaaa11110000", "aaab00000000")
    assert project.make("db-up").returncode == 0
    for target in ("db-up", "db-down", "db-sql"):
        assert_one_error(project.make(target, "REV=head+5"), "REV=head+5 goes past head")
    assert_one_error(project.make("db-down", "REV=aaab00000000+1"), "goes past head")
    assert_one_error(project.make("db-sql", "REV=base-1:head"), "goes below base")
    assert_one_error(project.make("db-down", "REV=-0"), "REV=-0 moves no revision")
    result = project.make("db-down", "REV=head-2")
    assert result.returncode == 0, result.stderr
    assert recorded(project) == {head_revision_before(project)}
    result = project.make("db-up", "REV=aaaa11110000+1")
    assert result.returncode == 0, result.stderr
    assert recorded(project) == {"aaab00000000"}


def head_revision_before(project: Project) -> str:
    """The revision before the chain: what ``head-2`` names."""
    parents = project.root / "alembic" / "versions" / "20990101_000000_step_aaaa11110000.py"
    return parents.read_text().split('down_revision = "')[1].split('"')[0]


def test_db_sql_ranges(project: Project) -> None:
    """Assert that ``start:`` runs to heads, ``:end`` from base, and that a reversed or empty
    range is refused instead of printing nothing."""
    add_chain(project, "aaaa11110000", "aaab00000000")
    open_end = project.make("db-sql", "REV=aaaa11110000:", "DIALECT=postgresql")
    assert open_end.returncode == 0, open_end.stderr
    assert "version_num='aaab00000000'" in open_end.stdout.replace(" ", "")
    open_start = project.make("db-sql", "REV=:aaaa11110000", "DIALECT=postgresql")
    assert open_start.returncode == 0, open_start.stderr
    assert "CREATE TABLE alembic_version" in open_start.stdout
    assert_one_error(project.make("db-sql", "REV=aaab00000000:aaaa11110000"), "runs backwards")
    assert_one_error(project.make("db-sql", "REV=aaab:aaab00000000"), "covers no revision")


def test_odd_revs_are_one_line(project: Project) -> None:
    """Assert that malformed histories, steps where a revision is needed and odd ranges each
    give one line, on every command that takes them."""
    add_chain(project, "aaaa11110000", "aaab00000000")
    for target, rev, fragment in (
        ("db-show", "@", "expected <history>@head"),
        ("db-show", "core@", "expected <history>@head"),
        ("db-up", "head@", "expected <history>@head"),
        ("db-up", "nohistory@head", "no history named 'nohistory'"),
        ("db-show", "-4", "no revision to show"),
        ("db-show", "base", "no revision to show"),
        ("db-sql", "@:", "expected <history>@head"),
        ("db-sql", ":-1", "needs revisions, not steps"),
        ("db-sql", "-1:", "needs revisions, not steps"),
        ("db-sql", ":base", "covers no revision"),
        ("db-sql", "a:b:c", "one range at most"),
        ("db-lint", "aa", "is ambiguous"),
        ("db-lint", "@", "lints one revision"),
        ("db-down", "--1", "REV=--1"),
    ):
        assert_one_error(project.make(target, f"REV={rev}"), fragment)
    assert project.make("db-sql", "REV=head+0", "DIALECT=postgresql").returncode == 0
    plugins = project.make("db-sql", "REV=head:", PLUGINS="rate_limit")
    assert_one_error(plugins, "REV=head:")
