"""Data migrations in batches: no statement touches the whole table at once."""

from collections.abc import Mapping

import sqlalchemy as sa
from alembic import op

BACKFILL_BATCH_SIZE = 1000


def backfill(
    table: sa.TableClause,
    values: Mapping[str, object],
    *,
    where: sa.ColumnElement[bool],
    key: str = "id",
    batch_size: int = BACKFILL_BATCH_SIZE,
) -> int:
    """Set ``values`` on the rows matching ``where``, ``batch_size`` rows per UPDATE.

    Rows are taken in ``key`` order, each batch after the last key seen, so the loop ends even
    if ``values`` leave a row matching ``where``. No statement touches the whole table at once.
    Offline (``--sql``) there are no keys to page through: one UPDATE is emitted. Returns the
    number of rows updated online, 0 offline.
    """
    statement = sa.update(table).values(dict(values))
    if op.get_context().as_sql:
        op.execute(statement.where(where))
        return 0
    bind = op.get_bind()
    column = table.c[key]
    updated, last = 0, None
    while True:
        batch = sa.select(column).where(where).order_by(column).limit(batch_size)
        if last is not None:
            batch = batch.where(column > last)
        keys = bind.execute(batch).scalars().all()
        if not keys:
            return updated
        bind.execute(statement.where(column.in_(keys)))
        updated, last = updated + len(keys), keys[-1]
