"""The database's own client tools (psql, pg_dump, mariadb, mariadb-dump...), run so that a
password never reaches their command line (PGPASSWORD, MYSQL_PWD in their environment), a
client never outlives the run that started it, and a failure is one line: the client's own
error."""

import ctypes
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
from collections.abc import Sequence
from contextlib import ExitStack
from pathlib import Path
from typing import IO

from sqlalchemy.engine import URL, make_url

from mcpgateway.config import get_settings


def _failed(message: str) -> Exception:
    """A client's failure, as one BackupError. Imported here: mcpgateway.errors brings Alembic
    (its errors are Alembic's), which db-up's early MariaDB load (``run.early``) must not wait
    for before it starts its clients."""
    from mcpgateway.errors import BackupError

    return BackupError(message)


def client_tool(name: str) -> str:
    """The path of one of the database's client tools (pg_dump, psql, mariadb...)."""
    path = shutil.which(name)
    if path is None:
        raise _failed(f"{name} is not installed; install the database's client tools")
    return path


def die_with_parent(sig: int = signal.SIGKILL) -> None:
    """In the child, before it runs: Linux sends it ``sig`` if this process dies (kill -9), so
    a client never goes on changing a database after the run that started it is gone."""
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, sig)


PR_SET_PDEATHSIG = 1


def run_tool(
    argv: list[str], env: dict[str, str], *, stdin: Path | None = None, out: Path | None = None
) -> None:
    """Run a client tool; its last line of stderr becomes one BackupError if it fails."""
    with (
        stdin.open("rb") if stdin else open(os.devnull, "rb") as source,
        out.open("wb") if out else open(os.devnull, "wb") as sink,
    ):
        result = subprocess.run(
            argv,
            stdin=source,
            stdout=sink,
            stderr=subprocess.PIPE,
            env=env,
            check=False,
            preexec_fn=die_with_parent,
        )
    _raise_for(argv, result.returncode, result.stderr)


def _raise_for(argv: list[str], code: int, stderr: bytes) -> None:
    """A tool that failed: one BackupError with the client's own error line."""
    if code == 0:
        return
    lines = [line.strip() for line in stderr.decode(errors="replace").splitlines() if line.strip()]
    # The client's own error line first ("ERROR 1064 ...", "psql:...: ERROR:  ..."): a line
    # merely containing the word (SQL echoed back, a column named error_message) is not.
    errors = [line for line in lines if re.search(r"\bERROR\b", line)]
    errors = errors or [line for line in lines if "error" in line.lower()] or lines
    reason = errors[0] if errors else f"it exited with {code}, no message"
    raise _failed(f"{Path(argv[0]).name} failed: {reason}")


def run_scripts(url: str, scripts: Sequence[Path], stop: threading.Event | None = None) -> None:
    """Feed each of ``scripts`` to its own client at once (psql, mariadb), each stopping at its
    first error; the first failure is raised. Every client has ended when this returns or
    raises: on a failure, an interrupt or ``stop`` (set by another thread) the others are
    killed first, so none goes on changing the database behind the caller's back."""
    argv, env = _client(url)
    stopped = stop or threading.Event()
    with ExitStack() as files:
        running: list[tuple[subprocess.Popen[bytes], IO[bytes]]] = []
        try:
            for script in scripts:
                feed = files.enter_context(script.open("rb"))
                errors = files.enter_context(tempfile.TemporaryFile())
                process = subprocess.Popen(
                    argv,
                    stdin=feed,
                    stdout=subprocess.DEVNULL,
                    stderr=errors,
                    env=env,
                    preexec_fn=die_with_parent,
                )
                running.append((process, errors))
            while any(process.poll() is None for process, _ in running):
                if any(process.returncode for process, _ in running):
                    break  # one failed: the rest are stopped below
                if stopped.wait(0.005):
                    raise _failed(f"{Path(argv[0]).name} was stopped before it ended")
        finally:
            for process, _ in running:
                if process.poll() is None:
                    process.kill()
                process.wait()
        for process, stderr in running:
            if process.returncode > 0:
                stderr.seek(0)
                _raise_for(argv, process.returncode, stderr.read())
        if any(process.returncode for process, _ in running):
            raise _failed(f"{Path(argv[0]).name} was stopped: another client failed")


def _client(url: str) -> tuple[list[str], dict[str, str]]:
    """The server's own client for ``url``, reading SQL on its standard input."""
    parsed = make_url(url)
    args, env = client_options(parsed)
    # The database by option, not in the place of an argument: a name starting with '-' is
    # still a name.
    if parsed.get_backend_name() == "postgresql":
        client = [client_tool("psql"), *args, "-X", "-q", "-v", "ON_ERROR_STOP=1"]
        return [*client, f"--dbname={parsed.database}"], env
    client = [client_tool("mariadb"), *args, "--comments"]  # a routine keeps its own
    return [*client, f"--database={parsed.database}"], env


def run_script(url: str, sql: Path) -> None:
    """Feed ``sql`` to the server's own client (psql, mariadb), stopping at the first error."""
    argv, env = _client(url)
    run_tool(argv, env, stdin=sql)


# Per server: the port and user flags, their defaults, and the variable the password goes in.
CLIENT_FLAGS = {
    "postgresql": ("-p", 5432, "-U", "postgres", "PGPASSWORD"),
    "mysql": ("-P", 3306, "-u", "root", "MYSQL_PWD"),
    "mariadb": ("-P", 3306, "-u", "root", "MYSQL_PWD"),
}


def client_options(url: URL) -> tuple[list[str], dict[str, str]]:
    """Host, port and user flags for the server's client tools, and an environment carrying the
    password (never the command line)."""
    port_flag, port, user_flag, user, password_variable = CLIENT_FLAGS[url.get_backend_name()]
    # MariaDB's tools read the user's option files (~/.my.cnf) unless told not to, as psql reads
    # ~/.psqlrc without -X: an option there (force, to go on past an error) would change what
    # a load or a dump does. Everything they need comes from the URL.
    skip = ["--no-defaults"] if url.get_backend_name() != "postgresql" else []
    args = [*skip, "-h", url.host or "localhost", port_flag, str(url.port or port)]
    args += [user_flag, url.username or user]
    env = {**os.environ, **({password_variable: str(url.password)} if url.password else {})}
    # A server that accepts and never answers must not hang the tool for ever. mariadb-dump
    # takes no connect timeout at all: _dump() asks the server first, with our own timeout.
    env["PGCONNECT_TIMEOUT"] = str(get_settings().database_connect_timeout)
    return args, env
