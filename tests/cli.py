"""Run the toolkit's CLI in-process, as ``make`` would call it, in a copy of a project.

``make_argv`` reads the target's recipe from the Makefile itself (``@$(DB) up --rev "$$REV"
...``), so the arguments a test passes are exactly those the front door passes. ``invoke``
then calls ``mcpgateway.migrate.cli.main(argv)`` with the copy as working folder, its own
``mcpgateway`` package first on the path (tests edit its models, plugin-new writes into it),
the given environment, and stdout, stderr and logging captured. A few tests run the real
``make`` in a subprocess instead: the front door itself, ``kill -9``, racing replicas.
"""

import contextlib
import io
import logging
import os
import re
import subprocess
import sys
from collections.abc import Iterator, Mapping
from pathlib import Path

_RECIPE = re.compile(r"^(?P<target>[a-z-]+):.*\n\t@\$\(DB\) (?P<args>.*)$", re.MULTILINE)
_QUOTED = re.compile(r'^"\$\$(\w+)"$')
_OPTION = re.compile(r'^(--[\w-]+)="\$\$(\w+)"$')
_FLAG = re.compile(r"^\$\$\{(\w+):\+(--[\w-]+)\}$")
OWN_MODULES = ("mcpgateway",)


def recipes(makefile: Path) -> dict[str, list[str]]:
    """Each target that calls the CLI, with its argument words as the Makefile writes them."""
    return {m["target"]: m["args"].split() for m in _RECIPE.finditer(makefile.read_text())}


def make_argv(words: list[str], variables: Mapping[str, str]) -> list[str]:
    """The argv the shell would give for a recipe: ``"$$VAR"`` is the value (empty if unset),
    ``--opt="$$VAR"`` is ``--opt=<value>``, ``$${VAR:+--flag}`` is the flag when VAR is set and
    non-empty."""
    argv: list[str] = []
    for word in words:
        quoted, flag, option = _QUOTED.match(word), _FLAG.match(word), _OPTION.match(word)
        if option:
            argv.append(f"{option.group(1)}={variables.get(option.group(2), '')}")
        elif quoted:
            argv.append(variables.get(quoted.group(1), ""))
        elif flag:
            argv += [flag.group(2)] if variables.get(flag.group(1)) else []
        else:
            argv.append(word)
    return argv


@contextlib.contextmanager
def _own_logging() -> Iterator[None]:
    """Let the CLI configure logging from alembic.ini as it does in a process of its own (pytest
    has its handlers on the root logger), then put everything back."""
    root = logging.getLogger()
    saved_handlers, saved_level = root.handlers[:], root.level
    names = list(logging.root.manager.loggerDict)
    levels = {name: logging.getLogger(name).level for name in names}
    root.handlers = []
    try:
        yield
    finally:
        for handler in root.handlers:
            handler.close()
        root.handlers = saved_handlers
        root.setLevel(saved_level)
        for name in logging.root.manager.loggerDict:
            logger = logging.getLogger(name)
            logger.setLevel(levels.get(name, logging.NOTSET))
            if name not in levels:
                logger.handlers = []


def _imported_from(module: object, folders: list[str]) -> bool:
    file = getattr(module, "__file__", None) or ""
    return any(file.startswith(folder + os.sep) for folder in folders)


@contextlib.contextmanager
def _own_modules(root: Path, pythonpath: str) -> Iterator[None]:
    """The copy's own ``mcpgateway`` package, and what ``PYTHONPATH`` adds (an installed
    plugin), imported fresh for the length of one call, as a process of its own would."""
    saved = {n: m for n, m in sys.modules.items() if n.split(".")[0] in OWN_MODULES}
    for name in saved:
        del sys.modules[name]
    folders = [str(root), *(p for p in pythonpath.split(os.pathsep) if p)]
    saved_path = sys.path[:]
    sys.path[0:0] = folders
    try:
        yield
    finally:
        sys.path[:] = saved_path  # Alembic's prepend_sys_path adds one of its own
        for name, module in list(sys.modules.items()):
            if name.split(".")[0] in OWN_MODULES or _imported_from(module, folders):
                del sys.modules[name]
        sys.modules.update(saved)


@contextlib.contextmanager
def inside(root: Path, env: Mapping[str, str]) -> Iterator[tuple[io.StringIO, io.StringIO]]:
    """Be, for a while, a process of its own started in ``root`` with exactly ``env``: the
    copy's modules, alembic.ini's logging, no terminal; yields (stdout, stderr) as captured."""
    out, err = io.StringIO(), io.StringIO()
    saved_env, saved_cwd = dict(os.environ), os.getcwd()
    os.environ.clear()
    os.environ.update(env)
    os.chdir(root)
    try:
        with (
            _own_modules(root, env.get("PYTHONPATH", "")),
            _own_logging(),
            contextlib.redirect_stdout(out),
            contextlib.redirect_stderr(err),
            _stdin(),
        ):
            yield out, err
    finally:
        os.chdir(saved_cwd)
        os.environ.clear()
        os.environ.update(saved_env)


def invoke(
    argv: list[str], *, root: Path, env: Mapping[str, str]
) -> subprocess.CompletedProcess[str]:
    """``python -m mcpgateway.migrate ARGV`` in-process, in ``root`` with exactly ``env``."""
    with inside(root, env) as (out, err):
        # Imported here, not at the top: each call imports the copy's own package afresh.
        from mcpgateway.migrate.cli import main

        try:
            code = main(argv)
        except SystemExit as exc:  # argparse's usage errors
            code = exc.code if isinstance(exc.code, int) else 2
    return subprocess.CompletedProcess(argv, code, out.getvalue(), err.getvalue())


@contextlib.contextmanager
def _stdin() -> Iterator[None]:
    saved = sys.stdin
    sys.stdin = io.StringIO("")  # no terminal: the CLI must not wait for an answer
    try:
        yield
    finally:
        sys.stdin = saved
