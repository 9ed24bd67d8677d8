"""The end state each contender leaves, proven equal: make bench compares speed only between
runs that built the same database (``checks.dump``); the toolkit's own ledger table is dropped
first (plain Alembic and the floor have none)."""

import sqlalchemy as sa

from mcpgateway.errors import ToolkitError
from mcpgateway.migrate.checks.dump import schema_dump
from mcpgateway.migrate.run.ledger import LEDGER


class EndStates:
    """The dumps seen so far; a run whose dump differs from the first is an error."""

    def __init__(self, where: str) -> None:
        self.where = where
        self.first: tuple[str, str] | None = None

    def add(self, contender: str, url: str) -> None:
        """Dump what ``contender`` built at ``url`` (a throwaway database: the toolkit's ledger
        is dropped first); raise if it differs from the first one seen."""
        engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
        with engine.begin() as conn:
            LEDGER.drop(conn, checkfirst=True)
        engine.dispose()
        dump = schema_dump(url)
        if self.first is None:
            self.first = (contender, dump)
        elif dump != self.first[1]:
            raise ToolkitError(
                f"bench: {contender} and {self.first[0]} built different databases "
                f"({self.where}); their times are not comparable"
            )
