"""What a revision does, as a checksum: Flyway's ``validate``, on the syntax tree.

Each applied revision's checksum is recorded when it runs (``run.ledger``), so an edit made
afterwards is caught. Comments, formatting, docstrings and descriptive statements may change
freely. A file rewritten without changing what it runs (an import moved, values written down
instead of imported) declares its earlier checksums in ``previous_checksums = ("...",)``: the
reviewer sees the claim, and databases that ran the earlier form are not told it was edited.
"""

import ast
import hashlib
from pathlib import Path

PREVIOUS = "previous_checksums"


# Statements that describe a revision rather than run it; editing them is not an edit.
DESCRIPTIVE_NAMES = frozenset({"downgrade_loses", PREVIOUS})
# Node fields that say where or how code is written, not what it does.
_IGNORED_FIELDS = frozenset({"ctx", "type_comment", "kind"})


def _descriptive(node: ast.stmt) -> bool:
    """A module-level ``name = <literal>`` (or annotated) whose one target is a descriptive
    name: anything else (a chained assignment, a call, one inside a function) is code."""
    if isinstance(node, ast.Assign) and len(node.targets) == 1:
        target, value = node.targets[0], node.value
    elif isinstance(node, ast.AnnAssign) and node.value is not None:
        target, value = node.target, node.value
    else:
        return False
    if not (isinstance(target, ast.Name) and target.id in DESCRIPTIVE_NAMES):
        return False
    try:
        ast.literal_eval(value)
    except ValueError:
        return False
    return True


def _docstring(node: ast.stmt) -> bool:
    return (
        isinstance(node, ast.Expr)
        and isinstance(node.value, ast.Constant)
        and isinstance(node.value.value, str)
    )


def _serialize(node: object, out: list[str]) -> None:
    """A stable text form of the syntax tree: node types and the fields that carry meaning.

    Empty and None fields are left out, so a field a newer Python adds to the tree (as 3.12
    added ``type_params``) does not change the result.
    """
    if isinstance(node, ast.AST):
        out.append(f"({type(node).__name__}")
        body = getattr(node, "body", None)
        for name in node._fields:
            if name in _IGNORED_FIELDS:
                continue
            value = getattr(node, name, None)
            if name == "body" and isinstance(body, list) and not isinstance(node, ast.Lambda):
                if isinstance(node, ast.Module):  # descriptive only at the top of the file
                    value = [s for s in body if not _descriptive(s)]
                if value and _docstring(value[0]) and isinstance(node, _HAS_DOCSTRING):
                    value = value[1:]
            if value is None or value == []:
                continue
            out.append(f" {name}=")
            _serialize(value, out)
        out.append(")")
    elif isinstance(node, list):
        out.append("[")
        for item in node:
            _serialize(item, out)
            out.append(",")
        out.append("]")
    else:
        out.append(repr(node))


_HAS_DOCSTRING = (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)

# Content hash -> checksum: a run asks for the same file more than once.
_CHECKSUMS: dict[str, str] = {}


def known(content: str, value: str) -> None:
    """``value`` is the checksum of the file whose bytes hash to ``content`` (the revision
    cache's, which holds only while every file is as it was): not parsed again this run."""
    _CHECKSUMS.setdefault(content, value)


def checksum(path: str | Path) -> str:
    """SHA-256 of what a revision does: its syntax tree, so comments, blank lines, formatting,
    docstrings and descriptive statements (``downgrade_loses``) may change without the revision
    counting as edited."""
    raw = Path(path).read_bytes()
    content = hashlib.sha256(raw).hexdigest()
    if content not in _CHECKSUMS:
        try:
            out: list[str] = []
            _serialize(ast.parse(raw), out)
            code = "".join(out).encode("utf-8")
        except (SyntaxError, ValueError):
            code = raw  # not valid Python: compare the bytes themselves
        _CHECKSUMS[content] = hashlib.sha256(code).hexdigest()
    return _CHECKSUMS[content]


def legacy_checksum(path: str | Path) -> str:
    """What earlier releases recorded: SHA-256 of the whole file, line endings normalized."""
    return hashlib.sha256(Path(path).read_bytes().replace(b"\r\n", b"\n")).hexdigest()


def _previous(raw: bytes) -> tuple[str, ...]:
    """The file's ``previous_checksums`` literal, if it declares one."""
    if PREVIOUS.encode() not in raw:  # most files do not: no need to parse them again
        return ()
    try:
        tree = ast.parse(raw)
    except (SyntaxError, ValueError):
        return ()
    for node in tree.body:
        if _descriptive(node) and PREVIOUS in _names(node):
            assert isinstance(node, ast.Assign | ast.AnnAssign)
            assert node.value is not None
            found = ast.literal_eval(node.value)
            return tuple(str(item) for item in found) if isinstance(found, tuple | list) else ()
    return ()


def _names(node: ast.stmt) -> set[str]:
    targets = node.targets if isinstance(node, ast.Assign) else [getattr(node, "target", None)]
    return {t.id for t in targets if isinstance(t, ast.Name)}


def accepted_checksums(path: str | Path) -> tuple[str, ...]:
    """Every checksum under which the file counts as unchanged: its own, the whole-file hash
    earlier releases recorded, and those it declares in ``previous_checksums``."""
    raw = Path(path).read_bytes()
    return (checksum(path), legacy_checksum(path), *_previous(raw))
