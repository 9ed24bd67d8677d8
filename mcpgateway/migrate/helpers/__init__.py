"""What core and plugin revisions import: the standard columns (``columns``), idempotent DDL
(``idempotent``), batched backfills (``backfill``), and the least blocking form of each change
(``online``, the safe forms ``make db-lint`` points to).

Nothing here reads the application: an applied revision must always do the same thing, so it
writes down the values it uses (column sizes, an enum's values) and passes them in.
"""

from mcpgateway.migrate.helpers.backfill import BACKFILL_BATCH_SIZE, backfill
from mcpgateway.migrate.helpers.columns import (
    create_ownership_indexes,
    ownership_columns,
    timestamp_columns,
    uuid_primary_key,
)
from mcpgateway.migrate.helpers.idempotent import (
    add_column_if_missing,
    create_index_if_missing,
    create_table_if_missing,
    drop_column_if_exists,
    drop_index_if_exists,
    drop_table_if_exists,
    drop_tables,
    table_exists,
)
from mcpgateway.migrate.helpers.online import (
    add_check_not_valid,
    add_foreign_key_not_valid,
    add_unique_constraint_concurrently,
    create_index_concurrently,
    drop_index_concurrently,
    validate_constraint,
)

__all__ = [
    "BACKFILL_BATCH_SIZE",
    "add_check_not_valid",
    "add_column_if_missing",
    "add_foreign_key_not_valid",
    "add_unique_constraint_concurrently",
    "backfill",
    "create_index_concurrently",
    "create_index_if_missing",
    "create_ownership_indexes",
    "create_table_if_missing",
    "drop_column_if_exists",
    "drop_index_concurrently",
    "drop_index_if_exists",
    "drop_table_if_exists",
    "drop_tables",
    "ownership_columns",
    "table_exists",
    "timestamp_columns",
    "uuid_primary_key",
    "validate_constraint",
]
