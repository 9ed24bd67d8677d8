"""A fresh database built from the models in one go, then stamped at head, instead of replaying
every revision. Only where it is proven to end exactly as the replay would:

- ``make db-check`` proved it: the models match what the migrations build (autogenerate's
  comparison on its scratch database), and that replay wrote no row (no INSERT, UPDATE or
  DELETE outside the bookkeeping and batch-copy tables). The proof is kept beside alembic.ini,
  keyed on the content of every revision file and on the DDL of the models as loaded now;
- the database is empty and the target is every head (plain ``make db-up``);
- ``MIGRATION_SNAPSHOT`` is not false. Plain ``alembic upgrade`` always replays.

A history with a data migration or reference data never has a proof, so it always replays.
"""

import hashlib
import json
import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from alembic import util
from alembic.runtime.environment import EnvironmentContext
from alembic.script import ScriptDirectory

from mcpgateway.db import ledger, revcache
from mcpgateway.db.registry import load_models

log = logging.getLogger(__name__)

SNAPSHOT = "mcpgateway.snapshot"  # config attribute the CLI sets for a plain db-up
PROOF_FILE = "snapshot-proof.json"
_WRITE = re.compile(r"^\s*(INSERT|UPDATE|DELETE|REPLACE|MERGE)\b", re.IGNORECASE)
_BOOKKEEPING = re.compile(r"alembic_version|mcpgateway_revisions|_alembic_tmp_", re.IGNORECASE)


def _ddl(metadata: sa.MetaData, dialect: sa.Dialect) -> list[str]:
    """What create_all would run: each table, then its indexes, as SQL for ``dialect``."""
    statements = []
    for table in metadata.sorted_tables:
        statements.append(str(sa.schema.CreateTable(table).compile(dialect=dialect)).strip())
        statements += sorted(
            str(sa.schema.CreateIndex(index).compile(dialect=dialect)).strip()
            for index in table.indexes
        )
    return statements


def models_digest(metadata: sa.MetaData) -> str:
    """The models as SQLite DDL, hashed: what db-check compared with the migrations."""
    dialect = sa.create_mock_engine("sqlite://", executor=lambda *_: None).dialect
    return hashlib.sha256("\n".join(_ddl(metadata, dialect)).encode("utf-8")).hexdigest()


def _files_digest(script: ScriptDirectory) -> str:
    files = revcache.fingerprint(revcache.version_folders(script))
    return hashlib.sha256(json.dumps(sorted(files.items())).encode("utf-8")).hexdigest()


def _proof_path() -> Path:
    return revcache.cache_file(revcache.ini_path()).with_name(PROOF_FILE)


def _read_proof() -> dict[str, Any]:
    try:
        proof = json.loads(_proof_path().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return proof if isinstance(proof, dict) else {}


def _write_proof(proof: dict[str, Any]) -> None:
    path = _proof_path()
    try:
        path.parent.mkdir(exist_ok=True)
        path.write_text(json.dumps(proof), encoding="utf-8")
    except OSError:
        pass  # no proof, no snapshot: the replay is always right


@contextmanager
def watching_writes(connection: sa.Connection) -> Iterator[list[str]]:
    """The data-changing statements a replay runs on ``connection``, bookkeeping aside."""
    writes: list[str] = []

    def seen(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if _WRITE.match(statement) and not _BOOKKEEPING.search(statement.split("(")[0]):
            writes.append(" ".join(statement.split())[:80])

    sa.event.listen(connection, "before_cursor_execute", seen)
    try:
        yield writes
    finally:
        sa.event.remove(connection, "before_cursor_execute", seen)


def record_proof(script: ScriptDirectory, metadata: sa.MetaData, *, proven: bool) -> None:
    """Keep (or withdraw) the proof for these revision files and these models."""
    if not proven:
        _proof_path().unlink(missing_ok=True)
        return
    _write_proof({"files": _files_digest(script), "models": models_digest(metadata), "ddl": {}})


def proven_ddl(script: ScriptDirectory, dialect: sa.Dialect) -> list[str] | None:
    """The statements that build, on ``dialect``, exactly what replaying these files builds;
    None without a proof for these very files.

    They are compiled once per dialect from the models (which must still be the ones db-check
    compared), and kept with the proof: later runs import no model at all. A model edited since
    the proof does not matter then, because the statements stand for the files, not the models.
    """
    proof = _read_proof()
    if not proof or proof.get("files") != _files_digest(script):
        return None
    stored = proof.get("ddl", {}).get(dialect.name)
    if stored is not None:
        return list(stored)
    metadata = load_models()
    if proof.get("models") != models_digest(metadata):
        return None  # the models changed since db-check: nothing proves them
    statements = _ddl(metadata, dialect)
    proof.setdefault("ddl", {})[dialect.name] = statements
    _write_proof(proof)
    return statements


def applies(context: EnvironmentContext, connection: sa.Connection) -> list[str] | None:
    """The statements to build this database from, if this run may skip the replay."""
    from mcpgateway.config import get_settings

    if not context.config.attributes.get(SNAPSHOT) or not get_settings().migration_snapshot:
        return None
    target = set(util.to_tuple(context.get_revision_argument()) or ())
    if target != set(context.script.get_heads()) or sa.inspect(connection).get_table_names():
        return None
    return proven_ddl(context.script, connection.dialect)


def build(context: EnvironmentContext, connection: sa.Connection, statements: list[str]) -> int:
    """Run the proven statements, stamp every head, record every revision's checksum; one
    transaction where the backend allows. Returns how many revisions it stands for."""
    script = context.script
    migration = context.get_context()
    revisions = list(script.walk_revisions())
    if connection.in_transaction():
        connection.commit()  # the read that decided it
    with connection.begin():
        for statement in statements:
            connection.exec_driver_sql(statement)
        migration.stamp(script, "heads")
        ledger.record_all_applied(connection, revisions)
    log.warning(
        "fresh database: built from the models and stamped at head, standing for %d revisions "
        "(proven by make db-check; MIGRATION_SNAPSHOT=false replays them)",
        len(revisions),
    )
    return len(revisions)
