"""PostgreSQL's lock rules come from squawk: run it over each revision's offline SQL, once, and
map its findings onto our rule ids and the revision lines that wrote the statements."""

import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from mcpgateway.errors import ToolkitError
from mcpgateway.migrate.lint.record import Rendering
from mcpgateway.migrate.lint.rules import Hit

CONFIG = Path(__file__).with_name("squawk.toml")

# squawk's rule -> ours. A squawk rule not listed is reported under "squawk:<its name>".
RULE_MAP = {
    "ban-drop-column": "drop-column",
    "ban-drop-table": "drop-table",
    "renaming-column": "rename-column",
    "renaming-table": "rename-table",
    "changing-column-type": "change-type",
    "adding-required-field": "add-not-null-column",
    "adding-not-nullable-field": "set-not-null",
    "disallowed-unique-constraint": "add-unique-constraint",
    "require-concurrent-index-creation": "index-not-concurrent",
    "require-concurrent-index-deletion": "index-not-concurrent",
    "ban-concurrent-index-creation-in-transaction": "concurrently-in-transaction",
    "constraint-missing-not-valid": "constraint-not-valid",
    "adding-foreign-key-constraint": "constraint-not-valid",
    "adding-field-with-default": "volatile-default",
}


def squawk_binary() -> str:
    """squawk from this virtualenv (squawk-cli is a dev dependency), else from PATH."""
    beside = Path(sys.executable).with_name("squawk")
    found = str(beside) if beside.exists() else shutil.which("squawk")
    if found is None:
        raise ToolkitError("squawk not found: run make install (squawk-cli is a dev tool)")
    return found


def _line_map(rendering: Rendering) -> list[int]:
    """For each line of the SQL file, the revision line that wrote it."""
    lines, starting = [], True
    for text, line in rendering.sql_lines:
        if starting:
            lines.append(line)
        starting = text.endswith("\n")
    return lines


def squawk_hits(renderings: dict[str, Rendering]) -> dict[str, list[tuple[Hit, str]]]:
    """squawk's findings for each key's PostgreSQL SQL, as hits with squawk's own words."""
    if not renderings:
        return {}
    with tempfile.TemporaryDirectory(prefix="mcpgw-lint-") as folder:
        files = {}
        for index, (key, rendering) in enumerate(renderings.items()):
            path = Path(folder) / f"{index:04d}.sql"
            path.write_text(rendering.sql, encoding="utf-8")
            files[path.name] = key
        binary = squawk_binary()
        try:
            result = subprocess.run(
                [binary, "-c", str(CONFIG), "--reporter", "json", *sorted(files)],
                cwd=folder,
                capture_output=True,
                text=True,
                check=False,
            )
        except OSError as exc:
            raise ToolkitError(
                f"cannot run squawk ({binary}): {exc.strerror}; run make install"
            ) from None
    try:
        reported = json.loads(result.stdout) if result.stdout.strip() else None
    except json.JSONDecodeError:
        reported = None
    if reported is None and (result.returncode != 0 or result.stderr.strip()):
        message = (result.stderr or result.stdout).strip().splitlines()
        raise ToolkitError(f"squawk failed: {message[-1] if message else 'no output'}")
    reported = reported or []
    found: dict[str, list[tuple[Hit, str]]] = {key: [] for key in renderings}
    for item in reported:
        key = files[Path(item["file"]).name]
        lines = _line_map(renderings[key])
        at = int(item.get("line", 0))
        line = lines[at] if 0 <= at < len(lines) else 0
        statement = renderings[key].sql.splitlines()[at] if at < len(lines) else ""
        name = item["rule_name"]
        rule = RULE_MAP.get(name, f"squawk:{name}")
        if rule == "constraint-not-valid" and " UNIQUE " in statement.upper():
            continue  # a unique key has no NOT VALID form; disallowed-unique-constraint covers it
        hit = Hit(
            rule,
            line,
            "postgresql",
            " ".join(statement.split())[:80],
            f"squawk {name}",
        )
        found[key].append((hit, f"{item.get('message', '')} {item.get('help') or ''}".strip()))
    return found
