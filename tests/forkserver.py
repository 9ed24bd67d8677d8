"""Run ``python -m mcpgateway.db`` without paying for its imports on every call.

Most of a test's time went to starting the command: ~0.7 s of importing Alembic, SQLAlchemy
and pydantic-settings, ~600 times a run. The server imports those third-party libraries once
and forks a child per call; the child takes the caller's argv, environment, working directory
and stdin/stdout/stderr, then runs the package exactly as ``python -m`` does (the project's
own modules are imported fresh in each child, from the caller's working directory).

``make`` reaches it through ``DB=``: the client below is a bare interpreter (``-S -I``, ~10
ms) that hands its descriptors over a Unix socket and exits with the child's code. Tests that
are about the real process (interpreter start, import cost) do not use it; ``TEST_FORK=0`` turns
it off for the whole run.

    python tests/forkserver.py serve SOCKET      # the server; prints "ready" once listening
    python -S -I tests/forkserver.py SOCKET ARGS # the client: ``python -m mcpgateway.db ARGS``
"""

import json
import os
import socket
import struct
import sys

HEADER = struct.Struct("!I")
STDIO = 3


def client(path: str, argv: list[str]) -> int:
    """Send argv, cwd, environment and fds 0-2; return the child's exit code."""
    body = json.dumps({"argv": argv, "cwd": os.getcwd(), "env": dict(os.environ)}).encode()
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as conn:
        conn.connect(path)
        socket.send_fds(conn, [HEADER.pack(len(body))], [0, 1, 2])
        conn.sendall(body)
        reply = b""
        while chunk := conn.recv(16):
            reply += chunk
    if not reply:
        print("forkserver: the command's process died without an exit code", file=sys.stderr)
        return 1
    return int(reply)


def receive(conn: socket.socket) -> tuple[dict[str, object], list[int]]:
    """One request: its JSON body and the caller's three descriptors."""
    head, fds, _, _ = socket.recv_fds(conn, HEADER.size, STDIO)
    while len(head) < HEADER.size:
        head += conn.recv(HEADER.size - len(head))
    (size,) = HEADER.unpack(head)
    body = b""
    while len(body) < size:
        body += conn.recv(size - len(body))
    return json.loads(body), fds


def run_child(request: dict[str, object], fds: list[int]) -> int:
    """In the forked child: become the caller's ``python -m mcpgateway.db`` and run."""
    import random
    import runpy
    import signal
    import traceback

    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    for target, fd in enumerate(fds):
        os.dup2(fd, target)
        os.close(fd)
    cwd = str(request["cwd"])
    os.chdir(cwd)
    env = request["env"]
    assert isinstance(env, dict)
    os.environ.clear()
    os.environ.update(env)
    extra = [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p]
    sys.path[:] = [cwd, *extra, *sys.path[1:]]
    argv = request["argv"]
    assert isinstance(argv, list)
    sys.argv = ["-m", *argv]
    random.seed()
    try:
        runpy.run_module("mcpgateway.db", run_name="__main__", alter_sys=True)
        code = 0
    except SystemExit as exc:
        if exc.code is None or isinstance(exc.code, int):
            code = exc.code or 0
        else:
            print(exc.code, file=sys.stderr)
            code = 1
    except BaseException:
        traceback.print_exc()
        code = 1
    import atexit

    atexit._run_exitfuncs()
    return code


def warm_up() -> None:
    """Import what every command imports, except the project itself (imported per child).

    The list is the one a real ``import mcpgateway.db.cli`` loads, plus the drivers and the
    autogenerate machinery, so the first call of each kind costs the same as the rest."""
    import importlib
    import subprocess

    listing = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; sys.modules.setdefault('pygments', None);"
            "import mcpgateway.db.cli; print('\\n'.join(sys.modules))",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    extras = [
        "alembic.autogenerate",
        "alembic.runtime.environment",
        "alembic.runtime.migration",
        "alembic.operations",
        "sqlalchemy.orm",
        "sqlalchemy.dialects.postgresql.psycopg2",
        "sqlalchemy.dialects.mysql.pymysql",
        "sqlalchemy.dialects.sqlite.pysqlite",
        "psycopg2",
        "pymysql",
    ]
    sys.modules.setdefault("pygments", None)  # type: ignore[arg-type]
    for name in [*listing, *extras]:
        if name.startswith(("mcpgateway", "tests", "__main__", "__editable__")):
            continue
        try:
            importlib.import_module(name)
        except Exception:
            continue


def serve(path: str) -> None:
    """Accept calls until killed; each gets its own forked child."""
    import contextlib
    import signal

    warm_up()
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # children are reaped by the kernel
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as server:
        server.bind(path)
        server.listen(64)
        print("ready", flush=True)
        while True:
            conn, _ = server.accept()
            request, fds = receive(conn)
            if os.fork() == 0:
                server.close()
                code = 1
                try:
                    code = run_child(request, fds)
                finally:
                    with contextlib.suppress(OSError, ValueError):
                        sys.stdout.flush()
                        sys.stderr.flush()
                    with contextlib.suppress(OSError):
                        conn.sendall(str(code).encode())
                    os._exit(code)
            for fd in fds:
                os.close(fd)
            conn.close()


if __name__ == "__main__":
    if sys.argv[1] == "serve":
        serve(sys.argv[2])
    else:
        raise SystemExit(client(sys.argv[1], sys.argv[2:]))
