"""make plugin-new: scaffold an in-tree plugin, write its first revision and apply it; run
again after a failure part-way, it finishes what is missing."""

import argparse
import os
from pathlib import Path

import sqlalchemy as sa

import mcpgateway.plugins
from mcpgateway.config import get_settings
from mcpgateway.migrate.commands.authoring import cmd_new
from mcpgateway.migrate.commands.schema import cmd_up
from mcpgateway.migrate.database import configured_connection
from mcpgateway.migrate.models import load_models, owner
from mcpgateway.migrate.paths import shown_path
from mcpgateway.migrate.plugins import enabled_plugin
from mcpgateway.migrate.run import ledger, preflight
from mcpgateway.migrate.scaffold import check_name, create_plugin

UNFINISHED = ".plugin-new-unfinished"  # in a plugin's folder until plugin-new has applied it


def cmd_plugin_new(args: argparse.Namespace) -> None:
    """Scaffold an in-tree plugin, then generate and apply its first revision. Run again after a
    failure part-way, it finishes what is missing (its revision, applying it)."""
    name = (args.name or "").strip()
    folder = Path(mcpgateway.plugins.__path__[0]) / name
    marker = folder / UNFINISHED
    earlier = name.isidentifier() and marker.is_file()
    if earlier:
        _enable(name)
        print(f"plugin {name} was scaffolded by a plugin-new that stopped: finishing it")
        _undo_stopped_first_revision(name)
    else:
        check_name(name)  # before anything is written or migrated
    cmd_up(argparse.Namespace(rev="heads", plugin=None))  # unreachable: nothing is written
    if not earlier:
        create_plugin(name, root=folder.parent)
        marker.write_text("plugin-new has not applied this plugin yet; run it again\n")
        print(f"created {shown_path(folder)}/ (models.py, versions/)")
        _enable(name)
    args.unfinished = f"plugin {name} is not applied yet; make plugin-new NAME={name} finishes it"
    if not any((folder / "versions").glob("*.py")):
        cmd_new(argparse.Namespace(message=f"create {name} tables", plugin=name, empty=False))
    cmd_up(argparse.Namespace(rev="heads", plugin=name))
    marker.unlink()
    args.unfinished = None
    print(f"plugin {name} is applied; keep it enabled with PLUGINS={os.environ['PLUGINS']} in .env")


def _enable(name: str) -> None:
    """Enable the plugin for this run only; the user makes it permanent in PLUGINS."""
    os.environ["PLUGINS"] = ",".join(dict.fromkeys([*get_settings().plugins, name]))
    get_settings.cache_clear()


def _undo_stopped_first_revision(name: str) -> None:
    """The plugin's first revision stopped part-way (MariaDB: its DDL stays): its tables are
    new and this plugin-new made them, so they go, with the marker, and the revision runs again.
    A plugin with any revision applied is left to the preflight to report."""
    revisions = enabled_plugin(name).revision_ids()
    with configured_connection() as conn:
        seen = preflight.observe(conn)
        stopped = [r for r in seen.ledger if r.revision in revisions and r.state != ledger.APPLIED]
        if not stopped or set(seen.recorded) & revisions:
            return
        metadata = load_models()
        ours = [t for t in metadata.sorted_tables if owner(t) == name and t.name in seen.tables]
        for table in reversed(ours):
            conn.execute(sa.schema.DropTable(table))
        for row in stopped:
            ledger.forget(conn, row.revision)
        conn.commit()
    made = ", ".join(t.name for t in ours) or "no table"
    print(
        f"its first revision had stopped part-way: dropped what it made ({made}), running it again"
    )
