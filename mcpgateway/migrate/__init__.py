"""The gateway's migration toolkit: ``python -m mcpgateway.migrate`` (or ``mcpgateway-migrate``),
driven by ``make``. It reads the data layer (``mcpgateway.db``), which never reads it.

- ``cli``: the command line; ``commands/``: one handler per command, each calling Alembic.
- ``alembic_config``, ``options``, ``environment``: the Alembic configuration, the one typed
  options object the CLI hands env.py, and what env.py runs.
- ``plugins``, ``models``: plugins found and enabled; the models loaded, each table's owner.
- ``history/``: the revision graph, its cache, where a database stands, what REV means.
- ``run/``: a migration run: preflight, lock, ledger, timeouts, the at-head answer.
- ``checks/``: drift (models vs migrations) and integrity (checksums, unversioned tables).
- ``schema_files``, ``replays``: the committed schema files, replayed side by side.
- ``lint/``, ``backup``, ``clients``, ``bootstrap``, ``scaffold``, ``info``, ``explain``,
  ``bench/``.
- ``helpers``: what revisions import. ``compat``: every private Alembic name we touch, and why.
"""

# The dialects ``make db-sql DIALECT=...`` renders for (``commands.schema``, ``cli``).
SQL_DIALECTS = ("postgresql", "mysql", "mariadb", "sqlite")
