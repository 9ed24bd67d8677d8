"""db-up with nothing to do is answered from the cached revision graph, by the same preflight
as the full path; a new, edited or deleted revision file, any other change to what the graph
was built from, or anything unusual in the database, sends it the full way."""

import json
from collections.abc import Callable
from pathlib import Path

import pytest
import sqlalchemy as sa

from mcpgateway.migrate.cli import build_parser, plain_up
from mcpgateway.migrate.run import ledger
from tests.cli import inside
from tests.conftest import Project
from tests.helpers import (
    assert_one_error,
    execute,
    fork_history,
    head_revision,
    record_revision,
    revision_file,
)

NEW_REVISION = '''"""a later revision"""

import sqlalchemy as sa
from alembic import op

revision = "fa57000000e1"
down_revision = "{head}"
branch_labels = None
depends_on = None
downgrade_loses = ("fast_notes",)


def upgrade() -> None:
    """Create a table."""
    op.create_table("fast_notes", sa.Column("id", sa.Integer(), primary_key=True))


def downgrade() -> None:
    """Drop it."""
    op.drop_table("fast_notes")
'''


def fast(result: object) -> bool:
    """Whether a db-up run took the fast path: Alembic, never imported, logged nothing."""
    return "alembic" not in getattr(result, "stderr", "x")


def plain(*argv: str) -> bool:
    """Whether the CLI would let the at-head answer take this command line."""
    args = build_parser().parse_args(argv)
    args.rev = args.rev or getattr(args, "default_rev", None)
    return plain_up(args)


def test_only_a_plain_up_may_take_the_fast_path() -> None:
    """Assert which command lines the fast path may answer."""
    assert plain("up", "--rev", "", "--plugin", "")
    assert plain("up", "--rev", "heads")
    assert not plain("up", "--rev", "-1")
    assert not plain("up", "--rev", "", "--plugin", "rate_limit")
    assert not plain("up", "--rev", "", "--plugin", "", "--backup")
    assert not plain("down", "--rev", "")


def test_at_head_is_answered_fast_and_the_same(project_on: Project) -> None:
    """Assert that the second db-up says exactly what the first did, without Alembic, and
    that MIGRATION_FAST_PATH=false turns it off."""
    first = project_on.make("db-up")
    assert first.returncode == 0, first.stderr
    assert (project_on.root / ".mcpgateway_cache" / "revisions.json").is_file()
    again = project_on.make("db-up")
    assert again.returncode == 0, again.stderr
    assert fast(again), again.stderr
    assert again.stdout == first.stdout
    slow = project_on.make("db-up", MIGRATION_FAST_PATH="false")
    assert slow.returncode == 0
    assert not fast(slow)
    assert slow.stdout == first.stdout


def test_new_edited_and_deleted_revisions_are_always_seen(project_on: Project) -> None:
    """Assert that the cache never hides a change to the revision files."""
    assert project_on.make("db-up").returncode == 0
    head = head_revision(project_on)
    added = project_on.root / "alembic" / "versions" / "20990101_000000_fast_notes.py"
    added.write_text(NEW_REVISION.format(head=head))
    applied = project_on.make("db-up")
    assert applied.returncode == 0, applied.stderr
    assert "Running upgrade" in applied.stderr
    assert "core fa57000000e1" in applied.stdout
    assert fast(project_on.make("db-up"))

    added.write_text(
        added.read_text().replace('"fast_notes", sa.Column', '"fast_notes2", sa.Column')
    )
    assert_one_error(project_on.make("db-up"), "fa57000000e1", "changed after it was applied")
    added.unlink()
    assert_one_error(project_on.make("db-up"), "fa57000000e1")


def test_anything_unusual_goes_the_full_way(project_on: Project) -> None:
    """Assert that a revision left running, a checksum that differs, or a database not at
    head is never answered by the fast path (the full path then refuses or explains)."""
    url = project_on.env["DATABASE_URL"]
    assert project_on.make("db-up").returncode == 0
    assert fast(project_on.make("db-up"))
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    table = ledger.LEDGER
    try:
        with engine.connect() as conn:
            recorded = conn.execute(sa.select(table.c.revision, table.c.checksum)).all()
        for change in ({"state": "running"}, {"checksum": "edited"}):
            with engine.begin() as conn:
                conn.execute(table.update().values(change))
            assert not fast(project_on.make("db-up"))
            with engine.begin() as conn:
                for revision, checksum in recorded:
                    restore = {"state": ledger.APPLIED, "checksum": checksum}
                    conn.execute(table.update().where(table.c.revision == revision).values(restore))
        assert fast(project_on.make("db-up"))
    finally:
        engine.dispose()
    execute(url, "DELETE FROM alembic_version")
    assert_one_error(project_on.make("db-up"), "records no revision (alembic_version)", "db-stamp")


def _at_head_state(project: Project, url: str) -> None:
    assert project.make("db-up").returncode == 0


def _behind(project: Project, url: str) -> None:
    assert project.make("db-up").returncode == 0
    assert project.make("db-down").returncode == 0


def _ahead(project: Project, url: str) -> None:
    """The database ran a revision this checkout does not have (an older checkout)."""
    added = project.root / "alembic" / "versions" / "20990101_000000_fast_notes.py"
    added.write_text(NEW_REVISION.format(head=head_revision(project)))
    assert project.make("db-up").returncode == 0
    added.unlink()


def _unknown(project: Project, url: str) -> None:
    assert project.make("db-up").returncode == 0
    record_revision(url, "deadbeef0000")


def _forked(project: Project, url: str) -> None:
    assert project.make("db-up").returncode == 0
    fork_history(project)


def _edited(project: Project, url: str) -> None:
    assert project.make("db-up").returncode == 0
    path = revision_file(project, head_revision(project))
    path.write_text(path.read_text().replace("    _rename(forward=True)", "    _rename(forward=1)"))


def _interrupted(project: Project, url: str) -> None:
    """What a MariaDB crash part-way leaves: the last revision marked running."""
    assert project.make("db-up").returncode == 0
    execute(url, f"UPDATE {ledger.LEDGER.name} SET state = 'running'")


def _unversioned(project: Project, url: str) -> None:
    assert project.make("db-up").returncode == 0
    execute(url, "DROP TABLE alembic_version")


def _leftover(project: Project, url: str) -> None:
    """A batch copy a SQLite crash left (on the others, a table of that name is just a table)."""
    assert project.make("db-up").returncode == 0
    execute(url, "CREATE TABLE _alembic_tmp_tools (id INTEGER)")


STATES: dict[str, Callable[[Project, str], None]] = {
    "at head": _at_head_state,
    "behind": _behind,
    "ahead": _ahead,
    "unknown revision": _unknown,
    "forked": _forked,
    "edited": _edited,
    "interrupted": _interrupted,
    "unversioned tables": _unversioned,
    "batch leftover": _leftover,
}


def _shown(verdict: object) -> object:
    """A verdict as comparable data: its refusal by kind and words."""
    refusal = getattr(verdict, "refusal", None)
    fields = dict(vars(verdict))
    fields["refusal"] = (type(refusal).__name__, str(refusal)) if refusal else None
    return fields


@pytest.mark.parametrize("state", sorted(STATES))
def test_the_at_head_answer_is_the_full_paths(project_on: Project, state: str) -> None:
    """Assert that, on every state, the at-head path either declines or judges exactly as the
    full path does (same graph, same verdict), and answers only at head with nothing to do."""
    url = project_on.env["DATABASE_URL"]
    STATES[state](project_on, url)
    with project_on.inside():
        # The copy's own toolkit, as its CLI would import it (tests/cli.py).
        from mcpgateway.migrate.alembic_config import load_config
        from mcpgateway.migrate.database import configured_connection
        from mcpgateway.migrate.history.graph import script_directory
        from mcpgateway.migrate.run.at_head import cached_history, up_at_head, verdict_at_head
        from mcpgateway.migrate.run.migrate import judge

        cached = cached_history()
        fast = verdict_at_head(cached) if cached is not None else None
        script = script_directory(load_config())
        with configured_connection() as connection:
            full = judge(script, connection, purpose="upgrade")
        answered = up_at_head()
    # Only SQLite's batch mode leaves _alembic_tmp_* copies; elsewhere it is a table like any.
    leftover_counts = url.startswith("sqlite")
    assert answered == (state == "at head" or (state == "batch leftover" and not leftover_counts))
    assert answered == (full.clean and full.at_head)
    if fast is not None:
        assert _shown(fast) == _shown(full)
    if state in ("at head", "behind", "unknown revision", "interrupted", "unversioned tables"):
        assert fast is not None, "the revision files are unchanged: the cache must hold"


def _change_ini(project: Project) -> None:
    ini = project.root / "alembic.ini"
    ini.write_text(ini.read_text() + "\n# a comment is a change too\n")


def _change_toolkit(project: Project) -> None:
    module = project.root / "mcpgateway" / "migrate" / "run" / "preflight.py"
    module.write_text(module.read_text() + "\n# the toolkit changed\n")


def _change_plugins(project: Project) -> None:
    project.env["PLUGINS"] = "rate_limit"


def _add_plugin(project: Project) -> None:
    folder = project.root / "mcpgateway" / "plugins" / "extra"
    (folder / "versions").mkdir(parents=True)
    (folder / "__init__.py").write_text("")


INPUTS: dict[str, Callable[[Project], None]] = {
    "alembic.ini": _change_ini,
    "the toolkit's code": _change_toolkit,
    "PLUGINS": _change_plugins,
    "the plugins on this machine": _add_plugin,
}


@pytest.mark.parametrize("changed", sorted(INPUTS))
def test_the_cache_is_keyed_on_every_input(project: Project, tmp_path: Path, changed: str) -> None:
    """Assert that a change to any input the graph was built from drops the cache."""
    project.env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'keyed.db'}"
    assert project.make("db-up").returncode == 0
    assert fast(project.make("db-up"))
    INPUTS[changed](project)
    again = project.make("db-up")
    assert again.returncode == 0, again.stderr
    assert not fast(again), again.stderr


def test_a_malformed_cache_is_as_if_there_were_none(project_on: Project) -> None:
    """Assert that a cache file that is valid JSON but not what the toolkit writes (a checksum
    list emptied, a node cut short) sends db-up the full way, never to a traceback."""
    assert project_on.make("db-up").returncode == 0
    path = project_on.root / ".mcpgateway_cache" / "revisions.json"
    data = json.loads(path.read_text())
    for damage in ("empty checksums", "short node"):
        broken = json.loads(json.dumps(data))
        rev = next(iter(broken["history"]["nodes"]))
        if damage == "empty checksums":
            broken["history"]["checksums"][rev] = []
        else:
            broken["history"]["nodes"][rev] = broken["history"]["nodes"][rev][:1]
        path.write_text(json.dumps(broken))
        result = project_on.make("db-up")
        assert result.returncode == 0, result.stderr
        assert "Traceback" not in result.stderr
        assert not fast(result), damage


def test_a_revision_edited_while_the_cache_is_written_leaves_no_cache(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Assert that a revision file edited between the cache's reading of the files and its
    checksums (then put back) never pairs one version's bytes with another's checksum: no
    cache is written, so no replay takes its checksum from one."""
    with inside(project.root, project.env):
        from mcpgateway.migrate.alembic_config import load_config
        from mcpgateway.migrate.history import cache, graph

        config = load_config()
        history = graph.history_of(graph.script_directory(config), ["core"])
        path = Path(next(iter(history.nodes.values())).path)
        text = path.read_text()
        checksums = graph.History.with_checksums

        def edited_meanwhile(self: graph.History) -> graph.History:
            path.write_text(text + "\nEDITED_DURING_SAVE = 1\n")
            return checksums(self)

        monkeypatch.setattr(graph.History, "with_checksums", edited_meanwhile)
        cache.save(config, [], history)
        path.write_text(text)
        assert not cache.cache_file(config).exists()
        assert cache.load(config, []) is None
