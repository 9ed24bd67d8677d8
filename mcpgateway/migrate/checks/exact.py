"""The whole database as its own tool dumps it, with nothing a schema file leaves out taken
away: what ``schema_files.replay`` compares to prove that a load builds what a replay builds.

PostgreSQL: ``pg_dump --inserts``, owners and privileges included, only its per-run
``\\restrict`` keys dropped. MariaDB: ``mariadb-dump --routines --triggers`` with every row,
``AUTO_INCREMENT`` counters and definers included, only its version marker line dropped.
SQLite: each object's CREATE statement (whitespace outside quotes and table-constraint order
aside: batch mode reorders them from run to run, and neither means anything to SQLite), then
every row. The ledger's rows are left out everywhere: they say when a revision ran.
"""

import re

from sqlalchemy.engine import make_url

from mcpgateway.migrate.checks.dump import schema_dump, sqlite_rows, tool_output
from mcpgateway.migrate.clients import client_options, client_tool
from mcpgateway.migrate.run.ledger import LEDGER

_PER_RUN = re.compile(r"^(\\(un)?restrict .*|/\*M!999999.*)$")


def exact_dump(url: str) -> str:
    """``url``'s database as its own tool dumps it, schema and rows (the ledger's aside)."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        rows = sqlite_rows(str(parsed.database))
        return "\n".join([schema_dump(url), *rows])
    args, env = client_options(parsed)
    if parsed.get_backend_name() == "postgresql":
        dump = [client_tool("pg_dump"), *args, "--inserts", f"--exclude-table-data={LEDGER.name}"]
    else:
        dump = [client_tool("mariadb-dump"), *args, "--routines", "--triggers", "--skip-comments"]
        dump += [f"--ignore-table-data={parsed.database}.{LEDGER.name}", "--skip-extended-insert"]
    text = tool_output([*dump, str(parsed.database)], env)
    return "\n".join(line for line in text.splitlines() if not _PER_RUN.match(line))
