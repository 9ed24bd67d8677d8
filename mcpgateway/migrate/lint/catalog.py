"""The rules db-lint knows: each with an id, a severity, why it is unsafe and the safe
alternative. ``rules`` checks a revision's operations against them; squawk's findings on
PostgreSQL are mapped onto the same ids."""

from dataclasses import dataclass

ERROR, WARNING, INFO = "error", "warning", "info"


@dataclass(frozen=True)
class Rule:
    """What a finding of this rule means and how to fix it."""

    id: str
    severity: str
    why: str
    fix: str


RULES = {
    rule.id: rule
    for rule in (
        Rule(
            "drop-table",
            ERROR,
            "drops the table and every row; code still running may read or write it",
            "expand/contract: stop using it in one release, drop it in a later one (back up)",
        ),
        Rule(
            "drop-column",
            ERROR,
            "destroys the column's data; code still running may read or write it",
            "expand/contract: stop reading it first, drop it in a later release",
        ),
        Rule(
            "rename-column",
            ERROR,
            "code still running uses the old name and fails until it is deployed",
            "add the new column, write both, backfill, switch reads, drop the old one later",
        ),
        Rule(
            "probable-rename",
            ERROR,
            "one table drops a column and adds another: autogenerate's way of writing a "
            "rename, and as written every value of the old column is lost",
            "a rename: batch_op.alter_column(old, new_column_name=new) keeps the values; "
            "not a rename: allow it (# lint: allow probable-rename -- why)",
        ),
        Rule(
            "rename-table",
            ERROR,
            "code still running uses the old name and fails until it is deployed",
            "create the new table, write both, backfill, switch reads, drop the old one later",
        ),
        Rule(
            "change-type",
            ERROR,
            "rewrites the table under an exclusive lock (MariaDB copies it); values may not fit",
            "add a column of the new type, backfill it in batches, switch, drop the old later",
        ),
        Rule(
            "add-not-null-column",
            ERROR,
            "existing rows have no value: it fails, or rewrites the table to fill one in",
            "add it nullable (or with a constant server_default), backfill, then set NOT NULL",
        ),
        Rule(
            "set-not-null",
            ERROR,
            "scans the whole table under an exclusive lock (SQLite and MariaDB rebuild it)",
            "PostgreSQL: add CHECK (col IS NOT NULL) NOT VALID, VALIDATE it, then SET NOT NULL",
        ),
        Rule(
            "add-unique-constraint",
            ERROR,
            "PostgreSQL builds the unique index under a lock that blocks reads and writes "
            "(MariaDB builds it online; SQLite rebuilds the table, see sqlite-rebuild)",
            "helpers.add_unique_constraint_concurrently: the index concurrently, then the "
            "constraint USING INDEX",
        ),
        Rule(
            "index-not-concurrent",
            ERROR,
            "CREATE/DROP INDEX blocks writes (DROP blocks reads too) for the whole build",
            "helpers.create_index_concurrently / drop_index_concurrently",
        ),
        Rule(
            "concurrently-in-transaction",
            ERROR,
            "CONCURRENTLY cannot run inside a transaction block: the revision fails",
            "wrap it in op.get_context().autocommit_block() (the helpers do)",
        ),
        Rule(
            "constraint-not-valid",
            ERROR,
            "a new FOREIGN KEY or CHECK scans the table while writes wait",
            "helpers.add_foreign_key_not_valid / add_check_not_valid, then "
            "helpers.validate_constraint (ideally in a later revision)",
        ),
        Rule(
            "volatile-default",
            ERROR,
            "a volatile server default (random(), gen_random_uuid()...) rewrites every row",
            "add the column without a default, set the default after, backfill in batches",
        ),
        Rule(
            "missing-downgrade",
            ERROR,
            "the revision cannot be reverted: db-down fails or silently does nothing",
            "write downgrade(); if it loses data, declare it in downgrade_loses",
        ),
        Rule(
            "unbatched-update",
            ERROR,
            "one UPDATE/DELETE over the whole table holds its row locks until it ends",
            "helpers.backfill(table, values, where=...) updates in keyed batches",
        ),
        Rule(
            "mariadb-copy",
            WARNING,
            "MariaDB runs this with ALGORITHM=COPY: the table is copied and writes wait",
            "add foreign keys with helpers.add_foreign_key_not_valid (foreign_key_checks=0, "
            "INPLACE) and check them with helpers.validate_constraint",
        ),
        Rule(
            "sqlite-rebuild",
            INFO,
            "SQLite batch mode copies the table to a new one and swaps it in",
            "expected on SQLite; keep such tables small or the step fast",
        ),
        Rule(
            "backend-cannot-create",
            ERROR,
            "this backend cannot create what the revision declares (a String without a "
            "length on MariaDB/MySQL): db-up stops there, part-way on MariaDB",
            "give the column a type every backend has, e.g. sa.String(255) or sa.Text",
        ),
        Rule(
            "revision-error",
            ERROR,
            "the revision's own code fails before it changes anything (a name it never "
            "imported): db-up or db-down stops there",
            "import what it uses (a custom type: write the type it stores, e.g. sa.Text())",
        ),
        Rule(
            "drop-index-before-table",
            ERROR,
            "MariaDB refuses to drop an index a foreign key needs (error 1553), so dropping "
            "a table's indexes before the table fails there",
            "drop the table alone: DROP TABLE takes its indexes with it",
        ),
        Rule(
            "offline-render",
            WARNING,
            "the revision could not be rendered offline for this dialect, so it was not linted",
            "keep upgrade() free of reads that need a live database, or guard them with "
            "op.get_context().as_sql",
        ),
        Rule(
            "allow-without-reason",
            ERROR,
            "an allow comment must say why the finding is acceptable",
            "write it as: # lint: allow <rule> -- <reason>",
        ),
    )
}
