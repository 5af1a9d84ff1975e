"""``forksafe run``: run a program unmodified with every database connection made fork-safe.

Three forms::

    forksafe run [--on-fork reconnect|raise|warn] script.py [args...]
    forksafe run [--on-fork ...] -m package.module [args...]
    forksafe run [--on-fork ...] COMMAND [args...]     # celery, gunicorn, rq, python, ...

A script or module runs in this interpreter, as ``__main__``, after :func:`forksafe.patch`, with
its own ``sys.argv``, ``sys.path[0]``, exit code and traceback, as ``python script.py`` would.

A command is executed in place of this process (``exec``), the way ``ddtrace-run`` and
``opentelemetry-instrument`` do it: we cannot patch a process we have not started, so we put a
directory holding a ``sitecustomize`` module first on ``PYTHONPATH`` and set ``FORKSAFE_PATCH=1``.
Python imports ``sitecustomize`` at start-up, ours calls ``forksafe.patch()`` and then chains to
whatever ``sitecustomize`` was there before. The script and module forms set the same environment,
so interpreters the program starts later (multiprocessing spawn and forkserver children,
subprocesses) are patched too, and ``FORKSAFE_ON_FORK`` carries the policy to all of them.
"""

from __future__ import annotations

import builtins
import importlib.machinery
import io
import os
import runpy
import shutil
import signal
import sys
import types
from types import TracebackType
from typing import Optional

from ._policy import CHOICES, ENV_VAR, set_on_fork, validate

BOOTSTRAP_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "_bootstrap")
PATCH_ENV = "FORKSAFE_PATCH"

USAGE = f"""usage: forksafe run [--on-fork {{{','.join(CHOICES)}}}] (script.py | -m module | COMMAND) [ARGS]

Run a Python program or command with every database connection its drivers open made fork-safe
(forksafe.patch()), without changing its code. Interpreters it starts later (spawn/forkserver
children, subprocesses) are patched too.

options:
  --on-fork POLICY  what a forked child does at first use of an inherited connection:
                    reconnect (default: open its own), raise (ForkedConnectionError naming the
                    line that made the connection), warn (reconnect and say where)
  -m MODULE         run a library module as a script, like python -m
  -h, --help        show this help

examples:
  forksafe run --on-fork raise app.py
  forksafe run -m myapp.worker
  forksafe run celery -A proj worker
  forksafe run gunicorn --preload app:app"""


class _UsageError(Exception):
    pass


def _parse(argv: list[str]) -> tuple[Optional[str], str, str, list[str]]:
    """Return (policy, kind, target, program args); kind is 'script', 'module' or 'command'."""
    policy: Optional[str] = None
    i = 0
    while i < len(argv):
        arg = argv[i]
        if arg == "--":
            i += 1
            break
        if arg in ("-h", "--help"):
            raise _UsageError("")
        if arg == "--on-fork" or arg.startswith("--on-fork="):
            if "=" in arg:
                value = arg.split("=", 1)[1]
            else:
                if i + 1 >= len(argv):
                    raise _UsageError("--on-fork needs a value: " + ", ".join(CHOICES))
                i += 1
                value = argv[i]
            try:
                policy = validate(value, "--on-fork")
            except ValueError as e:
                raise _UsageError(str(e))
            i += 1
            continue
        if arg == "-m" or (arg.startswith("-m") and len(arg) > 2):
            module = arg[2:] or (argv[i + 1] if i + 1 < len(argv) else "")
            if not module:
                raise _UsageError("-m needs a module name, as with python -m")
            rest = argv[i + 1:] if arg[2:] else argv[i + 2:]
            return policy, "module", module, rest
        if arg.startswith("-"):
            raise _UsageError(f"unknown option {arg!r}")
        break
    if i >= len(argv):
        raise _UsageError("nothing to run: give a script, -m module or a command")
    target, rest = argv[i], argv[i + 1:]
    return policy, _kind_of(target), target, rest


def _kind_of(target: str) -> str:
    """Python source runs in-process; an executable or a name found on PATH is a command."""
    if target.endswith((".py", ".pyw", ".pyz")):
        return "script"
    if os.sep in target:
        return "command" if os.path.isfile(target) and os.access(target, os.X_OK) else "script"
    if shutil.which(target) is not None:
        return "command"
    return "script" if os.path.exists(target) else "command"


def child_environment(policy: Optional[str], base: Optional[dict[str, str]] = None) -> dict[str, str]:
    """The environment that makes Python interpreters started with it patch themselves."""
    env = dict(os.environ if base is None else base)
    paths = [p for p in env.get("PYTHONPATH", "").split(os.pathsep) if p and p != BOOTSTRAP_DIR]
    env["PYTHONPATH"] = os.pathsep.join([BOOTSTRAP_DIR, *paths])
    env[PATCH_ENV] = "1"
    if policy is not None:
        env[ENV_VAR] = policy
    return env


def main(argv: list[str]) -> int:
    try:
        policy, kind, target, rest = _parse(list(argv))
    except _UsageError as e:
        if str(e):
            print(f"forksafe run: {e}\n", file=sys.stderr)
            print(USAGE, file=sys.stderr)
            return 2
        print(USAGE)
        return 0
    env = child_environment(policy)
    if kind == "command":
        return _exec_command(target, rest, env)
    os.environ.clear()
    os.environ.update(env)
    if policy is not None:
        set_on_fork(policy)
    from ._patch import patch

    patch()
    return _run_in_process(kind, target, rest)


def _exec_command(command: str, args: list[str], env: dict[str, str]) -> int:
    path = shutil.which(command, path=env.get("PATH"))
    if path is None:
        print(f"forksafe run: command not found: {command!r}. To run a Python file give its path "
              "(for example ./app.py); to run a module use -m.", file=sys.stderr)
        return 127
    sys.stdout.flush()
    sys.stderr.flush()
    try:
        os.execve(path, [command, *args], env)
    except OSError as e:
        print(f"forksafe run: cannot execute {path}: {e.strerror}", file=sys.stderr)
        return 126
    return 0  # unreachable: execve does not return


def _run_in_process(kind: str, target: str, args: list[str]) -> int:
    if kind == "script":
        if not os.path.exists(target):
            print(f"forksafe run: can't open file {target!r}: no such file (and no command of that name "
                  "on PATH)", file=sys.stderr)
            return 2
        sys.argv = [target, *args]
        if os.path.isfile(target):
            sys.path[0:1] = [os.path.dirname(os.path.realpath(target))]
    else:
        sys.argv = [target, *args]  # runpy replaces argv[0] with the module's file, as python -m does
        sys.path[0:1] = [os.getcwd()]
    try:
        if kind == "script" and os.path.isfile(target):
            _run_file(target)
        elif kind == "script":
            runpy.run_path(target, run_name="__main__")  # a directory or zip with __main__.py
        else:
            _run_module(target)
    except SystemExit:
        raise
    except BaseException as exc:  # report it as python would, without our frames
        tb = _user_frames(exc.__traceback__)
        sys.excepthook(type(exc), exc.with_traceback(tb), tb)
        if isinstance(exc, KeyboardInterrupt):
            sys.stdout.flush()
            sys.stderr.flush()
            signal.signal(signal.SIGINT, signal.SIG_DFL)
            os.kill(os.getpid(), signal.SIGINT)
            return 130
        return 1
    return 0


def _run_file(path: str) -> None:
    """Run a file as python does: a new ``__main__`` module whose ``__file__`` is absolute while
    ``sys.argv[0]`` stays as typed (runpy.run_path would rewrite argv[0])."""
    filename = os.path.abspath(path)
    with io.open_code(filename) as f:
        source = f.read()
    main = types.ModuleType("__main__")
    main.__file__ = filename
    main.__cached__ = None  # type: ignore[attr-defined]
    main.__loader__ = importlib.machinery.SourceFileLoader("__main__", filename)
    main.__builtins__ = builtins  # type: ignore[attr-defined]
    sys.modules["__main__"] = main
    code = compile(source, filename, "exec", dont_inherit=True)
    exec(code, vars(main))


def _run_module(name: str) -> None:
    """Run a module as ``python -m`` does: CPython's own ``runpy._run_module_as_main`` in a fresh
    ``__main__`` (so the traceback shows the same frames); plain ``run_module`` elsewhere."""
    as_main = getattr(runpy, "_run_module_as_main", None)
    if as_main is None:
        runpy.run_module(name, run_name="__main__", alter_sys=True)
        return
    main = types.ModuleType("__main__")
    main.__builtins__ = builtins  # type: ignore[attr-defined]
    sys.modules["__main__"] = main
    as_main(name, True)


def _user_frames(tb: Optional[TracebackType]) -> Optional[TracebackType]:
    """Drop the leading frames that ``python`` itself would not show: ours, and runpy's when it
    ran a file or directory (for ``-m`` python shows runpy's two frames, and so do we)."""
    while tb is not None and tb.tb_frame.f_globals.get("__name__") == __name__:
        tb = tb.tb_next
    if tb is not None and tb.tb_frame.f_code.co_name == "run_path":
        while tb is not None and tb.tb_frame.f_globals.get("__name__") == "runpy":
            tb = tb.tb_next
    return tb
