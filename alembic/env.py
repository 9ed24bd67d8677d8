"""Alembic environment. The database URL comes from the settings (DATABASE_URL, .env), never
from alembic.ini; the models are ``mcpgateway.db.models`` with each enabled plugin's; every run
goes through the toolkit's checks and lock (``mcpgateway.migrate.environment``), so plain
``alembic`` and ``make`` end in the same state."""

from alembic import context

from mcpgateway.migrate.environment import run

run(context)
