"""What a REV names, checked against the revision files before Alembic reads it.

Alembic resolves a revision id by prefix, and ``<rev>+N``/``<rev>-N`` by walking; where it
cannot (an ambiguous prefix, a walk off either end, a range with one end missing) it answers
with an assertion or "Walked too far". Here each REV given to the toolkit is resolved first:
an ambiguous prefix names its matches, a walk is taken step by step and refused where it runs
out or meets a fork or a merge, and db-sql's ``start:end`` is checked for its direction.
"""

import re
from collections.abc import Callable
from typing import TypeVar

from alembic.script import Script, ScriptDirectory
from alembic.script.revision import RevisionError
from alembic.util import CommandError, to_tuple

from mcpgateway.errors import UnknownRevision, UsageError

# Words and forms Alembic reads itself: named heads, the base, branch@..., steps from the
# database's current revision (history.targets checks those against the database).
_WORDS = frozenset({"head", "heads", "base"})
_WALK = re.compile(r"^(?P<start>[^@:]+?)(?P<sign>[-+])(?P<steps>\d+)$")
_BRANCH = re.compile(r"^(?P<branch>[A-Za-z_]\w*)@(?P<target>head|base|[-+]\d+|\w+)$")
T = TypeVar("T")
_STEPS = re.compile(r"^[-+]\d+$")


def is_steps(rev: str) -> bool:
    """``-N`` or ``+N``: steps from where a database is, not a revision."""
    return bool(_STEPS.match(rev))


def _ids(script: ScriptDirectory) -> list[str]:
    return [rev.revision for rev in script.walk_revisions()]


def _one(script: ScriptDirectory, rev: str, given: str) -> Script:
    """The one revision ``rev`` (an id or a prefix of one) names."""
    matches = sorted(ident for ident in _ids(script) if ident.startswith(rev))
    if rev in matches:
        matches = [rev]
    if not matches:
        raise UnknownRevision(
            f"REV={given}: no revision {rev!r} exists; make db-history lists them"
        )
    if len(matches) > 1:
        shown = ", ".join(matches[:5]) + (", ..." if len(matches) > 5 else "")
        raise UsageError(
            f"REV={given} is ambiguous: {rev!r} starts {len(matches)} revisions ({shown}); "
            "give more of the id"
        )
    found = script.get_revision(matches[0])
    assert found is not None
    return found


def _walk(script: ScriptDirectory, start: Script, sign: str, steps: int, given: str) -> str:
    node = start
    for _ in range(steps):
        nxt = sorted(node.nextrev) if sign == "+" else sorted(to_tuple(node.down_revision, ()))
        if not nxt:
            end = "past head" if sign == "+" else "below base"
            raise UnknownRevision(
                f"REV={given} goes {end}: {node.revision} is as far as it goes that way "
                "(make db-history lists the revisions)"
            )
        if len(nxt) > 1:
            kind = "forks" if sign == "+" else "is a merge"
            raise UsageError(
                f"REV={given} cannot be walked: {node.revision} {kind} ({', '.join(nxt)}); "
                "name the revision to go to instead"
            )
        step = script.get_revision(nxt[0])
        assert step is not None
        node = step
    return node.revision


def _branch(script: ScriptDirectory, rev: str) -> str:
    """``<history>@head|base|+N|-N|<revision>``, its history and revision checked."""
    found = _BRANCH.match(rev)
    if found is None:
        raise UsageError(
            f"REV={rev}: expected <history>@head, <history>@base, <history>@+N or "
            "<history>@<revision> (history: core or a plugin's name)"
        )
    labels = {label for script_ in script.walk_revisions() for label in script_.branch_labels}
    if found["branch"] not in labels:
        raise UnknownRevision(
            f"REV={rev}: no history named {found['branch']!r} (make db-heads lists them)"
        )
    target = found["target"]
    if target in _WORDS or is_steps(target):
        return rev
    return f"{found['branch']}@{_one(script, target, rev).revision}"


def resolve(script: ScriptDirectory, rev: str) -> str:
    """``rev`` as Alembic should get it: a prefix checked for ambiguity, ``<rev>+N``/``-N``
    walked to the revision it names, ``<history>@...`` checked; words and bare steps pass
    unchanged."""
    if rev in _WORDS or is_steps(rev):
        return rev
    if "@" in rev:
        return _branch(script, rev)
    walk = _WALK.match(rev)
    if walk is None:
        return _one(script, rev, rev).revision
    start, sign, steps = walk["start"], walk["sign"], int(walk["steps"])
    if start in _WORDS:
        if start == "base" and sign == "-":
            raise UnknownRevision(f"REV={rev} goes below base: nothing comes before it")
        if start != "base" and sign == "+" and steps > 0:
            raise UnknownRevision(f"REV={rev} goes past head: nothing comes after it")
        heads = script.get_revisions("heads") if start != "base" else script.get_bases()
        if len(heads) != 1:
            raise UsageError(
                f"REV={rev} is ambiguous: there are {len(heads)} histories; start from a "
                "revision (make db-heads lists them)"
            )
        only = heads[0]
        node = script.get_revision(only) if isinstance(only, str) else only
        assert isinstance(node, Script)
        return _walk(script, node, sign, steps, rev)
    return _walk(script, _one(script, start, rev), sign, steps, rev)


def sql_range(script: ScriptDirectory, rev: str) -> str:
    """db-sql's REV: ``end`` (from base), ``start:end``, ``start:`` (to heads) or ``:end``,
    each end a revision (steps from the database's position mean nothing offline); a range
    that runs backwards or covers nothing is refused."""
    if rev.count(":") > 1:
        raise UsageError(f"REV={rev}: one range at most, start:end")
    parts = rev.split(":")
    for part in parts:
        if is_steps(part):
            raise UsageError(
                f"REV={rev}: db-sql needs revisions, not steps ({part} counts from where a "
                "database is, and db-sql reads none); make db-history lists them"
            )
    if len(parts) == 1:
        return _checked(script, rev, lambda: resolve(script, rev))
    start, end = parts[0], resolve(script, parts[1] or "heads")
    if end == "base":
        raise UsageError(f"REV={rev} covers no revision: it ends at base")
    if not start:
        return end
    start = resolve(script, start)
    if start == end:
        raise UsageError(f"REV={rev} covers no revision: start and end are the same")
    below = _checked(
        script, rev, lambda: {r.revision for r in script.iterate_revisions(end, "base")}
    )
    if start != "base" and start not in below:
        ahead = _checked(
            script, rev, lambda: {r.revision for r in script.iterate_revisions(start, "base")}
        )
        why = "runs backwards" if end in ahead else "does not lead from start to end"
        raise UsageError(
            f"REV={rev} {why}: db-sql shows an upgrade, from an earlier revision to a later "
            "one (make db-history lists them in order)"
        )
    return f"{start}:{end}"


def _checked(script: ScriptDirectory, rev: str, read: Callable[[], T]) -> T:
    """``read()``, with Alembic's own refusal of ``rev`` (several heads, a history that is not
    enabled) as one line."""
    try:
        return read()
    except (RevisionError, CommandError) as exc:
        raise UsageError(
            f"REV={rev}: {str(exc).splitlines()[0]} (make db-heads lists them)"
        ) from None
