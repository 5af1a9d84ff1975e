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
import dataclasses
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

from ._patch import with_bootstrap
from ._policy import CHOICES, ENV_VAR, set_on_fork, validate

PATCH_ENV = "FORKSAFE_PATCH"
REPORT_ENV = "FORKSAFE_REPORT"

USAGE = f"""usage: forksafe run [--on-fork {{{','.join(CHOICES)}}}] [--report PATH] [-X OPT] [-W ARG] [-u]
                    (script.py | -m module | -c code | COMMAND) [ARGS]

Run a Python program or command with every database connection its drivers open made fork-safe
(forksafe.patch()), without changing its code. Interpreters it starts later (spawn/forkserver
children, subprocesses) are patched too.

options:
  --on-fork POLICY  what a forked child does at first use of an inherited connection:
                    reconnect (default: open its own), raise (ForkedConnectionError naming the
                    line that made the connection), warn (reconnect and say where)
  --report PATH     record every connection that crosses a fork, in every process of the
                    program, and write a JSON fork audit report to PATH at exit (also
                    {REPORT_ENV}=PATH); 'forksafe report PATH' prints it again
  -m MODULE         run a library module as a script, like python -m
  -c CODE           run CODE as a program, like python -c
  -X OPT, -W ARG, -u
                    interpreter options, as python takes them (-X dev, -W error, ...); they
                    reach a COMMAND through their environment variables (PYTHONDEVMODE,
                    PYTHONWARNINGS, PYTHONUNBUFFERED, ...)
  -h, --help        show this help

examples:
  forksafe run app.py --port 8000
  forksafe run --on-fork raise app.py
  forksafe run -m myapp.worker
  forksafe run -X dev -W error -c "import app; app.main()"
  forksafe run --report forks.json celery -A proj worker
  forksafe run gunicorn --preload app:app"""

# -X options that have an environment-variable form, so they reach a COMMAND's interpreter too.
_X_ENV = {
    "dev": ("PYTHONDEVMODE", "1"), "utf8": ("PYTHONUTF8", "1"), "faulthandler": ("PYTHONFAULTHANDLER", "1"),
    "tracemalloc": ("PYTHONTRACEMALLOC", "1"), "importtime": ("PYTHONPROFILEIMPORTTIME", "1"),
    "warn_default_encoding": ("PYTHONWARNDEFAULTENCODING", "1"),
    "pycache_prefix": ("PYTHONPYCACHEPREFIX", ""),
    "int_max_str_digits": ("PYTHONINTMAXSTRDIGITS", ""), "cpu_count": ("PYTHON_CPU_COUNT", ""),
    "perf": ("PYTHONPERFSUPPORT", "1"), "frozen_modules": ("", ""),
}


class _UsageError(Exception):
    pass


@dataclasses.dataclass
class Options:
    """What ``forksafe run`` was asked: its own options, the interpreter's, and what to run."""

    policy: Optional[str] = None
    report: Optional[str] = None
    interpreter: list[str] = dataclasses.field(default_factory=list)  # -X/-W/-u, as typed
    kind: str = ""  # 'script', 'module', 'code' or 'command'
    target: str = ""
    args: list[str] = dataclasses.field(default_factory=list)

    def own_argv(self) -> list[str]:
        """The ``forksafe run`` arguments that do the same, without the interpreter options."""
        argv: list[str] = []
        if self.policy is not None:
            argv += ["--on-fork", self.policy]
        if self.report is not None:
            argv += ["--report", self.report]
        flag = {"module": ["-m"], "code": ["-c"]}.get(self.kind, ["--"])
        return [*argv, *flag, self.target, *self.args]


def _value(argv: list[str], i: int, option: str, what: str) -> tuple[str, int]:
    """The value of ``option`` at ``argv[i]``, attached (``-Werror``, ``--report=x``) or next."""
    arg = argv[i]
    if arg.startswith("--") and "=" in arg:
        return arg.split("=", 1)[1], i + 1
    if not arg.startswith("--") and len(arg) > 2:
        return arg[2:], i + 1
    if i + 1 >= len(argv):
        raise _UsageError(f"{option} needs {what}")
    return argv[i + 1], i + 2


def _parse(argv: list[str]) -> Options:
    opts = Options()
    i = 0
    while i < len(argv):
        arg = argv[i]
        if arg == "--":
            i += 1
            break
        if arg in ("-h", "--help"):
            raise _UsageError("")
        if arg == "--on-fork" or arg.startswith("--on-fork="):
            value, i = _value(argv, i, "--on-fork", "a value: " + ", ".join(CHOICES))
            try:
                opts.policy = validate(value, "--on-fork")
            except ValueError as e:
                raise _UsageError(str(e))
            continue
        if arg == "--report" or arg.startswith("--report="):
            value, i = _value(argv, i, "--report", "a file to write the JSON report to")
            if not value or os.path.isdir(value):
                raise _UsageError(f"--report needs a file path, not a directory: {value!r}")
            opts.report = os.path.abspath(value)
            continue
        if arg == "-u":
            opts.interpreter.append(arg)
            i += 1
            continue
        if arg[:2] in ("-X", "-W"):
            what = "an option, as python -X takes (dev, utf8, ...)" if arg[:2] == "-X" else (
                "a warning filter, as python -W takes (error, ignore::DeprecationWarning, ...)")
            value, i = _value(argv, i, arg[:2], what)
            opts.interpreter += [arg[:2], value]
            continue
        if arg[:2] in ("-m", "-c"):
            kind = "module" if arg[:2] == "-m" else "code"
            what = "a module name, as with python -m" if kind == "module" else "the code to run, as python -c"
            value, i = _value(argv, i, arg[:2], what)
            if not value and kind == "module":
                raise _UsageError(what.replace("a module", "-m needs a module"))
            opts.kind, opts.target, opts.args = kind, value, argv[i:]
            return opts
        if arg.startswith("-"):
            raise _UsageError(f"unknown option {arg!r}")
        break
    if i >= len(argv):
        raise _UsageError("nothing to run: give a script, -m module, -c code or a command")
    opts.target, opts.args = argv[i], argv[i + 1:]
    opts.kind = _kind_of(opts.target)
    return opts


def _kind_of(target: str) -> str:
    """Python source runs in-process; an executable or a name found on PATH is a command."""
    if target.endswith((".py", ".pyw", ".pyz")):
        return "script"
    if os.sep in target:
        return "command" if os.path.isfile(target) and os.access(target, os.X_OK) else "script"
    if shutil.which(target) is not None:
        return "command"
    return "script" if os.path.exists(target) else "command"


def child_environment(policy: Optional[str], base: Optional[dict[str, str]] = None,
                      report: Optional[str] = None) -> dict[str, str]:
    """The environment that makes Python interpreters started with it patch themselves."""
    env = dict(os.environ if base is None else base)
    env["PYTHONPATH"] = with_bootstrap(env.get("PYTHONPATH", ""))
    env[PATCH_ENV] = "1"
    if policy is not None:
        env[ENV_VAR] = policy
    if report is not None:
        from ._audit.record import fresh_report_environment

        fresh_report_environment(env, report)
    return env


def interpreter_environment(options: list[str], env: dict[str, str]) -> None:
    """Carry -X/-W/-u to a command's interpreter the only way there is: its environment variables."""
    warnings = [w for w in env.get("PYTHONWARNINGS", "").split(",") if w]
    for i, opt in enumerate(options):
        if opt == "-u":
            env["PYTHONUNBUFFERED"] = "1"
        elif opt == "-W":
            warnings.append(options[i + 1])
        elif opt == "-X":
            name, _, value = options[i + 1].partition("=")
            var, default = _X_ENV.get(name, ("", ""))
            if not var:
                raise _UsageError(
                    f"-X {options[i + 1]} has no environment-variable form, so it cannot reach a command's "
                    f"interpreter; run the command's Python with it instead: python -X {options[i + 1]} "
                    "-m forksafe run -m MODULE ...")
            env[var] = value or default
            if not env[var]:
                raise _UsageError(f"-X {name} needs a value: -X {name}=VALUE")
    if warnings:
        env["PYTHONWARNINGS"] = ",".join(warnings)


def _usage_error(e: _UsageError) -> int:
    if str(e):
        print(f"forksafe run: {e}\n", file=sys.stderr)
        print(USAGE, file=sys.stderr)
        return 2
    print(USAGE)
    return 0


def main(argv: list[str]) -> int:
    try:
        opts = _parse(list(argv))
        if opts.report is None and os.environ.get(REPORT_ENV):
            opts.report = os.path.abspath(os.environ[REPORT_ENV])
        env = child_environment(opts.policy, report=opts.report)
        if opts.kind == "command":
            interpreter_environment(opts.interpreter, env)
    except _UsageError as e:
        return _usage_error(e)
    if opts.kind == "command":
        return _exec_command(opts.target, opts.args, env)
    if opts.interpreter:
        # Interpreter options act at start-up: start an interpreter with them, running the rest.
        return _exec_python(opts, env)
    os.environ.clear()
    os.environ.update(env)
    if opts.policy is not None:
        set_on_fork(opts.policy)
    from ._patch import patch

    patch()
    if opts.report is not None:
        from ._audit.record import start_from_environment

        start_from_environment()
    return _run_in_process(opts.kind, opts.target, opts.args)


def _exec_python(opts: Options, env: dict[str, str]) -> int:
    sys.stdout.flush()
    sys.stderr.flush()
    argv = [sys.executable, *opts.interpreter, "-m", "forksafe", "run", *opts.own_argv()]
    try:
        os.execve(sys.executable, argv, env)
    except OSError as e:
        print(f"forksafe run: cannot execute {sys.executable}: {e.strerror}", file=sys.stderr)
        return 126
    return 0  # unreachable: execve does not return


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
    elif kind == "code":
        sys.argv = ["-c", *args]
        sys.path[0:1] = [""]  # as python -c: the current directory, spelled ''
    else:
        sys.argv = [target, *args]  # runpy replaces argv[0] with the module's file, as python -m does
        sys.path[0:1] = [os.getcwd()]
    try:
        if kind == "code":
            _run_code(target)
        elif kind == "script" and os.path.isfile(target):
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


def _run_code(source: str) -> None:
    """Run ``source`` as ``python -c`` does: a fresh ``__main__``, file name ``<string>``."""
    main = types.ModuleType("__main__")
    main.__builtins__ = builtins  # type: ignore[attr-defined]
    main.__loader__ = importlib.machinery.BuiltinImporter
    sys.modules["__main__"] = main
    exec(compile(source, "<string>", "exec", dont_inherit=True), vars(main))


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
