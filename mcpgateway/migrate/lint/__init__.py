"""``make db-lint``: the revisions that would lock production tables or lose data.

Each revision's ``upgrade()`` runs offline once per dialect (``record``); the operations go
through the rules (``rules``), PostgreSQL's SQL through squawk (``squawk``). A finding can be
accepted on its operation with ``# lint: allow <rule> -- <reason>``; the reason is reported.
"""

import ast
import io
import re
import tokenize
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import ModuleType

from alembic.util.pyfiles import load_module_py

from mcpgateway.migrate.database import quiet_migration_log
from mcpgateway.migrate.lint.catalog import ERROR, INFO, RULES, WARNING, Rule
from mcpgateway.migrate.lint.record import DIALECTS, Recorded, Rendering, render
from mcpgateway.migrate.lint.rules import SQUAWK_OPERATIONS, Hit, check, describe
from mcpgateway.migrate.lint.squawk import squawk_hits
from mcpgateway.migrate.paths import shown_path

ALLOW = re.compile(r"#\s*lint:\s*allow\b(.*)$")
SEVERITY_ORDER = (ERROR, WARNING, INFO)


@dataclass
class Finding:
    """One rule at one line of one revision, on one or more dialects."""

    rule: Rule
    path: str
    line: int
    revision: str
    operation: str
    dialects: set[str] = field(default_factory=set)
    squawk: dict[str, str] = field(default_factory=dict)  # squawk rule -> its message
    allowed: str | None = None  # the reason given in the allow comment

    def render(self) -> str:
        """The finding as the report prints it: a header line, then what to know."""
        dialects = ", ".join(d for d in DIALECTS if d in self.dialects) or "all"
        where = f"{self.path}:{self.line}" if self.line else self.path
        state = "allowed" if self.allowed is not None else self.rule.severity
        lines = [f"{where}: {state} {self.rule.id} [{dialects}] {self.revision}"]
        lines.append(f"    {self.operation}")
        if self.allowed is not None:
            lines.append(f"    allowed: {self.allowed}")
            return "\n".join(lines)
        lines.append(f"    why: {self.rule.why}")
        lines.append(f"    fix: {self.rule.fix}")
        lines.extend(f"    squawk {name}: {text}" for name, text in self.squawk.items())
        return "\n".join(lines)


@dataclass
class Target:
    """A revision file to lint: its id (or a label) and where it is."""

    revision: str
    path: Path
    module: ModuleType | None = None

    def load(self) -> ModuleType:
        """The revision module (Alembic's, or loaded here for a file outside any history)."""
        if self.module is None:
            self.module = load_module_py(f"lint_{self.path.stem}", self.path)
        return self.module


def _allows(source: str) -> dict[int, tuple[set[str], str | None]]:
    """Line -> (rules, reason) of every ``# lint: allow`` comment in the file."""
    found = {}
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        if token.type == tokenize.COMMENT and (match := ALLOW.search(token.string)):
            head, _, reason = match.group(1).partition("--")
            rules = set(head.replace(",", " ").split())
            found[token.start[0]] = (rules, reason.strip() or None)
    return found


def _statement_span(tree: ast.Module, source_lines: list[str], line: int) -> range:
    """The lines of the innermost statement at ``line``, with the comment lines just above."""
    best: ast.stmt | None = None
    for node in ast.walk(tree):
        if not isinstance(node, ast.stmt):
            continue
        inside = node.lineno <= line <= (node.end_lineno or line)
        if inside and (best is None or node.lineno >= best.lineno):
            best = node
    if best is None:
        return range(line, line + 1)
    start = best.lineno
    while start > 1 and source_lines[start - 2].strip().startswith("#"):
        start -= 1
    return range(start, (best.end_lineno or best.lineno) + 1)


def _does_nothing(function: ast.FunctionDef) -> bool:
    body = list(function.body)
    if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
        body = body[1:]  # the docstring
    return all(isinstance(n, ast.Pass) for n in body)


def _missing_downgrade(tree: ast.Module) -> int | None:
    """The line to report when downgrade() is missing or does nothing; None when it is real,
    or when upgrade() does nothing either (a merge revision, say: nothing to undo)."""
    functions = {n.name: n for n in tree.body if isinstance(n, ast.FunctionDef)}
    downgrade, upgrade = functions.get("downgrade"), functions.get("upgrade")
    if downgrade is None:
        return upgrade.lineno if upgrade else 1
    if _does_nothing(downgrade) and not (upgrade is not None and _does_nothing(upgrade)):
        return downgrade.lineno
    return None


def lint(targets: list[Target]) -> list[Finding]:
    """Every finding of every target, allows applied, in file order."""
    renderings: dict[str, list[Rendering]] = {}
    with quiet_migration_log():
        for target in targets:
            module = target.load()
            path = Path(module.__file__ or target.path)
            renderings[target.revision] = [
                render(module, path, dialect, function)
                for function in ("upgrade", "downgrade")
                if callable(getattr(module, function, None))
                for dialect in DIALECTS
            ]
    postgres = {  # squawk reads what the upgrade runs on PostgreSQL
        rev: rendering
        for rev, found in renderings.items()
        for rendering in found
        if rendering.dialect == "postgresql" and rendering.function == "upgrade"
    }
    squawked = squawk_hits(postgres)
    findings: list[Finding] = []
    for target in targets:
        hits = [hit for rendering in renderings[target.revision] for hit in check(rendering)]
        upgrade = postgres.get(target.revision)
        operations = upgrade.operations if upgrade is not None else []
        findings.extend(_findings(target, hits, squawked.get(target.revision, []), operations))
    return findings


def _findings(
    target: Target,
    hits: list[Hit],
    squawked: list[tuple[Hit, str]],
    operations: list[Recorded],
) -> list[Finding]:
    source = target.path.read_text(encoding="utf-8")
    tree, source_lines = ast.parse(source), source.splitlines()
    messages = {}
    for hit, message in squawked:
        # SQL a batch block emits is written at its ``with`` line: give squawk's finding the
        # line of the operation inside the block that the rules found for the same reason.
        span = _statement_span(tree, source_lines, hit.line) if hit.line else range(0)
        moved = hit
        renames = [h for h in hits if h.rule == "probable-rename" and h.line in span]
        if hit.rule == "drop-column" and renames:
            continue  # the drop is one half of a probable rename, reported as that
        same = [h for h in hits if h.rule == hit.rule and h.line in span]
        kinds = SQUAWK_OPERATIONS.get(hit.rule, ())
        caused = [r for r in operations if isinstance(r.operation, kinds) and r.line in span]
        if same:
            moved = replace(hit, line=same[0].line, operation=same[0].operation)
        elif caused:
            moved = replace(hit, line=caused[0].line, operation=describe(caused[0].operation))
        messages[moved] = message
    hits = hits + list(messages)
    missing = _missing_downgrade(tree)
    if missing is not None:
        hits.append(Hit("missing-downgrade", missing, "", "downgrade()"))
    shown = shown_path(str(target.path))
    merged: dict[tuple[int, str], Finding] = {}
    for hit in hits:
        rule = RULES.get(hit.rule) or Rule(hit.rule, WARNING, messages.get(hit, ""), "see squawk")
        finding = merged.setdefault(
            (hit.line, hit.rule),
            Finding(rule, shown, hit.line, target.revision, hit.operation),
        )
        if hit.dialect:
            finding.dialects.add(hit.dialect)
        if hit.source.startswith("squawk "):
            finding.squawk[hit.source.removeprefix("squawk ")] = messages.get(hit, "")
    allows = _allows(source)
    for finding in list(merged.values()):
        for line in _statement_span(tree, source_lines, finding.line) if finding.line else ():
            rules, reason = allows.get(line, (set(), None))
            if finding.rule.id in rules:
                if reason is None:
                    merged[(line, "allow-without-reason")] = Finding(
                        RULES["allow-without-reason"],
                        shown,
                        line,
                        target.revision,
                        f"# lint: allow {finding.rule.id}",
                    )
                else:
                    finding.allowed = reason
    return sorted(merged.values(), key=lambda f: (f.line, f.rule.id))


def summary(findings: list[Finding], revisions: int) -> str:
    """One line: how many revisions, findings by severity, and how many were allowed."""
    counts = {severity: 0 for severity in SEVERITY_ORDER}
    allowed = 0
    for finding in findings:
        if finding.allowed is None:
            counts[finding.rule.severity] += 1
        else:
            allowed += 1
    parts = [
        f"{counts[s]} {s}{'s' if counts[s] != 1 and s != INFO else ''}" for s in SEVERITY_ORDER
    ]
    noun = "revision" if revisions == 1 else "revisions"
    return f"db-lint: {revisions} {noun}: {', '.join(parts)}, {allowed} allowed"


def failed(findings: list[Finding]) -> bool:
    """Whether any error is left that no comment allows."""
    return any(f.rule.severity == ERROR and f.allowed is None for f in findings)
