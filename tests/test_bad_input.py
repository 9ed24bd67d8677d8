"""Every bad input the toolkit knows of: one clear line, non-zero exit, no traceback, no
password in any output, and the data untouched."""

import os
import shutil
from pathlib import Path

import pytest

from tests.conftest import PROJECT_ROOT, Project, copy_ignore
from tests.helpers import assert_one_error, count, execute

SECRET = "s3cret-pw"
SEED = (
    "INSERT INTO email_users (email, is_admin, is_active, created_at, updated_at) "
    "VALUES ('kept@example.com', false, true, '2026-01-01', '2026-01-01')"
)

# id: (make arguments, environment, fragment of the one error line)
CASES: dict[str, tuple[list[str], dict[str, str], str]] = {
    "db-new without MSG": (["db-new"], {}, "MSG is required"),
    "db-new with blank MSG": (["db-new", "MSG=   "], {}, "MSG is required"),
    "db-merge without MSG": (["db-merge"], {}, "MSG is required"),
    "db-merge with one head": (["db-merge", "MSG=m"], {}, "nothing to merge"),
    "db-stamp without REV": (["db-stamp"], {}, "REV is required"),
    "db-show without REV": (["db-show"], {}, "REV is required"),
    "db-show unknown REV": (["db-show", "REV=nope"], {}, "REV=nope: no revision"),
    "db-down unknown REV": (["db-down", "REV=zzz"], {}, "REV=zzz: no revision"),
    "db-down below base": (["db-down", "REV=-9"], {}, "REV=-9 goes below base"),
    "db-up unknown REV": (["db-up", "REV=cafe"], {}, "REV=cafe: no revision"),
    "db-stamp unknown REV": (["db-stamp", "REV=beef"], {}, "REV=beef: no revision"),
    "db-sql unknown DIALECT": (["db-sql", "DIALECT=oracle"], {}, "DIALECT=oracle"),
    "db-sql FILE in no folder": (["db-sql", "FILE=no/such/dir/x.sql"], {}, "does not exist"),
    "db-restore without FILE": (["db-restore"], {}, "FILE is required"),
    "db-restore missing FILE": (["db-restore", "FILE=gone.sqlite"], {}, "does not exist"),
    "db-restore wrong kind": (["db-restore", "FILE=alembic.ini", "YES=1"], {}, "not a sqlite"),
    "db-accept without REV": (["db-accept"], {}, "REV is required"),
    "db-accept unedited REV": (["db-accept", "REV=abc"], {}, "not an edited applied"),
    "plugin-new without NAME": (["plugin-new"], {}, "NAME is required"),
    "plugin-new bad NAME": (["plugin-new", "NAME=Bad-Name"], {}, "lowercase Python identifier"),
    "plugin-new core table": (["plugin-new", "NAME=tools"], {}, "clashes with core table"),
    "PLUGINS unknown": (["db-up"], {"PLUGINS": "nope"}, "PLUGINS names 'nope'"),
    "PLUGINS not a name": (["db-up"], {"PLUGINS": "bad-name"}, "not a plugin name"),
    "PLUGIN unknown": (["db-down", "PLUGIN=nope"], {}, "PLUGIN=nope"),
    "PLUGIN unknown on db-up": (["db-up", "PLUGIN=nope"], {}, "PLUGIN=nope"),
    "PLUGIN not enabled": (["db-new", "MSG=x", "PLUGIN=rate_limit"], {}, "not enabled"),
    "PLUGIN not applied": (
        ["db-down", "PLUGIN=rate_limit"],
        {"PLUGINS": "rate_limit"},
        "no applied",
    ),
    "URL not a URL": (["db-status"], {"DATABASE_URL": f"not a url {SECRET}"}, "not a database URL"),
    "URL unknown database": (
        ["db-up"],
        {"DATABASE_URL": f"oracle9://u:{SECRET}@h/db"},
        "unknown database 'oracle9'",
    ),
    "URL driver not installed": (
        ["db-up"],
        {"DATABASE_URL": f"postgresql+psycopg://u:{SECRET}@h/db"},
        "not installed",
    ),
    "URL server refuses": (
        ["db-up"],
        {"DATABASE_URL": f"postgresql://u:{SECRET}@127.0.0.1:1/db"},
        ":***@127.0.0.1:1",
    ),
    "timeout not a number": (["db-up"], {"DATABASE_CONNECT_TIMEOUT": "soon"}, "DATABASE_CONNECT"),
    "lock wait negative": (["db-up"], {"MIGRATION_LOCK_WAIT": "-1"}, "MIGRATION_LOCK_WAIT"),
    "retries not a number": (["db-up"], {"MIGRATION_LOCK_RETRIES": "many"}, "MIGRATION_LOCK_RETR"),
    "skip flag not a bool": (["db-bootstrap"], {"MCPGATEWAY_SKIP_MIGRATIONS": "maybe"}, "SKIP"),
    "no alembic.ini": (["db-up"], {"ALEMBIC_CONFIG": "missing.ini"}, "missing.ini not found"),
    "backup of no database": (
        ["db-backup"],
        {"DATABASE_URL": "sqlite:///./never-created.db"},
        "nothing to back up",
    ),
}


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Project:
    """One project copy at head with a row of data, shared by every case."""
    root = tmp_path_factory.mktemp("bad-input") / "project"
    shutil.copytree(PROJECT_ROOT, root, ignore=copy_ignore)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_", "MAKE"))}
    env.pop("MFLAGS", None)
    project = Project(root=root, env=env)
    assert project.make("db-up").returncode == 0
    execute(f"sqlite:///{root / 'mcp.db'}", SEED)
    return project


def test_there_are_at_least_25_cases() -> None:
    """Assert that the table covers the issue's minimum."""
    assert len(CASES) >= 25


@pytest.mark.parametrize("case", list(CASES))
def test_bad_input(seeded: Project, case: str) -> None:
    """Assert one clear line, a non-zero exit, no traceback, no password, nothing lost."""
    args, env, fragment = CASES[case]
    result = seeded.make(*args, **env)
    line = assert_one_error(result, fragment)
    assert SECRET not in result.stdout + result.stderr, line
    assert count(f"sqlite:///{seeded.root / 'mcp.db'}", "email_users") == 1
    assert sorted(p.name for p in Path(seeded.root, "alembic", "versions").glob("*.py")) == sorted(
        p.name for p in Path(PROJECT_ROOT, "alembic", "versions").glob("*.py")
    )


@pytest.mark.parametrize(
    "case", ["PLUGIN unknown", "PLUGIN unknown on db-up", "PLUGIN not enabled"]
)
def test_a_plugin_argument_naming_no_usable_plugin_exits_2(seeded: Project, case: str) -> None:
    """Assert that PLUGIN naming no plugin, or one not enabled, is a usage error (exit 2) on
    db-up, db-down and db-new alike."""
    args, env, _fragment = CASES[case]
    assert seeded.make(*args, **env).returncode == 2
