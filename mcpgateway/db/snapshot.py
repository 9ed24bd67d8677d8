"""A fresh database built from the models in one go, then stamped at head, instead of replaying
every revision. Only where it is proven to end exactly as the replay would:

- ``make db-check`` proved it: the models match what the migrations build (autogenerate's
  comparison on its scratch database), and that replay wrote no row (no INSERT, UPDATE or
  DELETE outside the bookkeeping and batch-copy tables). The proof is kept beside alembic.ini,
  keyed on the content of every revision file and on the DDL of the models as loaded now;
- the database is empty and the target is every head (plain ``make db-up``);
- ``MIGRATION_SNAPSHOT`` is not false. Plain ``alembic upgrade`` always replays.

A history with a data migration or reference data never has a proof, so it always replays.
The first build on a dialect compiles the statements from the models (through Alembic's
env.py); later ones are run by the fast path (mcpgateway.db.fastpath) from the proof and the
revision cache, importing neither Alembic, a revision file nor a model. So nothing here
imports Alembic at module level.
"""

import hashlib
import json
import logging
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from mcpgateway.db import ledger, revcache

if TYPE_CHECKING:
    from alembic.runtime.environment import EnvironmentContext
    from alembic.script import ScriptDirectory

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


DIGEST_DIALECTS = ("sqlite://", "postgresql+psycopg2://", "mysql+pymysql://")


def models_digest(metadata: sa.MetaData) -> str:
    """The models as each backend's DDL, hashed: a change that shows on one dialect only (a
    variant type, a MySQL comment) changes it too."""
    digest = hashlib.sha256()
    for url in DIGEST_DIALECTS:
        dialect = sa.create_mock_engine(url, executor=lambda *_: None).dialect
        digest.update("\n".join(_ddl(metadata, dialect)).encode("utf-8"))
    return digest.hexdigest()


def _tools_digest(script: "ScriptDirectory") -> str:
    """What else decides db-check's answer: this toolkit's code (env.py's comparison options,
    the filters in mcpgateway.db) and the versions of Alembic and SQLAlchemy."""
    import alembic

    package = Path(__file__).resolve().parent
    sources = sorted(p for p in package.rglob("*.py") if "models" not in p.parts)
    env = Path(script.dir) / "env.py"
    digest = hashlib.sha256(f"{alembic.__version__} {sa.__version__}".encode())
    for path in [*sources, env]:
        if path.is_file():
            digest.update(path.read_bytes())
    return digest.hexdigest()


def _files_digest(script: "ScriptDirectory") -> str:
    return revcache.files_digest(revcache.fingerprint(revcache.version_folders(script)))


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


def proof_key(script: "ScriptDirectory", metadata: sa.MetaData) -> dict[str, str]:
    """What a db-check replay's answer depends on: the revision files, the models, and this
    toolkit with its Alembic and SQLAlchemy."""
    return {
        "files": _files_digest(script),
        "models": models_digest(metadata),
        "tools": _tools_digest(script),
    }


def record_proof(key: dict[str, str], *, proven: bool) -> None:
    """Keep (or withdraw) the proof for what ``key`` (``proof_key``) describes."""
    if not proven:
        _proof_path().unlink(missing_ok=True)
        return
    _write_proof({**key, "ddl": {}})


def still_proven(key: dict[str, str]) -> bool:
    """Whether an earlier db-check's replay proved these very revision files and models (with
    this toolkit, Alembic and SQLAlchemy): its answer would be the same, so it is not rerun."""
    proof = _read_proof()
    return bool(proof) and all(proof.get(k) == v for k, v in key.items())


def _stored(proof: dict[str, Any], files: str, dialect: str) -> list[str] | None:
    stored = proof.get("ddl", {}).get(dialect) if proof.get("files") == files else None
    return list(stored) if stored is not None else None


def stored_ddl(files: str, dialect: str) -> list[str] | None:
    """The statements kept with the proof for these files on ``dialect``, if any."""
    return _stored(_read_proof(), files, dialect)


def proven_ddl(
    files: str, dialect: sa.Dialect, load: Callable[[], sa.MetaData]
) -> list[str] | None:
    """The statements that build, on ``dialect``, exactly what replaying the revision files
    whose ``revcache.files_digest`` is ``files`` builds; None without a proof for these files.

    They are compiled once per dialect from the models (``load``, which must still give the
    models db-check compared), and kept with the proof: later runs import no model at all. A
    model edited since the proof does not matter then: the statements stand for the files.
    """
    proof = _read_proof()
    stored = _stored(proof, files, dialect.name)
    if stored is not None or proof.get("files") != files:
        return stored
    metadata = load()
    if proof.get("models") != models_digest(metadata):
        return None  # the models changed since db-check: nothing proves them
    statements = _ddl(metadata, dialect)
    proof.setdefault("ddl", {})[dialect.name] = statements
    _write_proof(proof)
    return statements


def applies(context: "EnvironmentContext", connection: sa.Connection) -> list[str] | None:
    """The statements to build this database from, if this run may skip the replay."""
    from alembic import util

    from mcpgateway.config import get_settings
    from mcpgateway.db.registry import load_models

    if not context.config.attributes.get(SNAPSHOT) or not get_settings().migration_snapshot:
        return None
    target = set(util.to_tuple(context.get_revision_argument()) or ())
    if target != set(context.script.get_heads()) or sa.inspect(connection).get_table_names():
        return None
    return proven_ddl(_files_digest(context.script), connection.dialect, load_models)


# Alembic's version table exactly as MigrationContext defines it (a test compares the DDL).
VERSION_TABLE = sa.Table(
    "alembic_version",
    sa.MetaData(),
    sa.Column("version_num", sa.String(32), nullable=False),
    sa.PrimaryKeyConstraint("version_num", name="alembic_version_pkc"),
)


def build(
    connection: sa.Connection,
    statements: Sequence[str],
    *,
    heads: Sequence[str],
    checksums: Mapping[str, str],
) -> None:
    """Run the proven statements, record every head and every revision's checksum (``checksums``
    has one per revision the build stands for); one transaction where the backend allows."""
    if connection.in_transaction():
        connection.commit()  # the read that decided it
    try:
        with connection.begin():
            # The version table first: on MariaDB each CREATE is visible at once, and a runner
            # that finds our tables without it would take them for an unmanaged schema.
            VERSION_TABLE.create(connection)
            if connection.dialect.name == "postgresql":
                # One round trip for the lot, as psql would stream it; the others run one
                # statement per call (pymysql and sqlite3 without their multi-statement modes).
                script = ";\n".join(statements)
                connection.exec_driver_sql(script, execution_options={"no_parameters": True})
            else:
                for statement in statements:
                    connection.exec_driver_sql(statement)
            connection.execute(VERSION_TABLE.insert(), [{"version_num": head} for head in heads])
            ledger.record_all_applied(connection, checksums)
    except Exception:
        if connection.dialect.name in ("mysql", "mariadb"):
            _undo(connection)
        raise
    log.warning(
        "fresh database: built from the models and stamped at head, standing for %d revisions "
        "(proven by make db-check; MIGRATION_SNAPSHOT=false replays them)",
        len(checksums),
    )


def _undo(connection: sa.Connection) -> None:
    """MariaDB commits each CREATE: drop what a failed build left. The database was empty when
    it started, under the migration lock, so every table in it is the build's."""
    connection.rollback()
    connection.exec_driver_sql("SET FOREIGN_KEY_CHECKS = 0")
    for table in sa.inspect(connection).get_table_names():
        connection.exec_driver_sql(f"DROP TABLE `{table}`")
    connection.exec_driver_sql("SET FOREIGN_KEY_CHECKS = 1")
    connection.commit()


def build_from_script(
    script: "ScriptDirectory", connection: sa.Connection, statements: Sequence[str]
) -> None:
    """``build`` for the revisions Alembic has loaded (the full path)."""
    checksums = {s.revision: ledger.checksum(s.path) for s in script.walk_revisions()}
    build(connection, statements, heads=script.get_heads(), checksums=checksums)
