"""The ``forksafe`` command line, run as a user runs it (real subprocesses): ``--version``, every
subcommand's ``--help`` with examples, ``forksafe run -c CODE`` as ``python -c``, and the
interpreter options ``-X``/``-W``/``-u`` with python's own semantics, for a program run in-process
and for a command."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys

import pytest

import forksafe

SRC = os.path.dirname(os.path.dirname(os.path.abspath(importlib.util.find_spec("forksafe").origin)))


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("FORKSAFE_", "PYTHON"))}
    env["PYTHONPATH"] = SRC
    return env


def _run(args: list[str], cwd: str = "", **kw) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, capture_output=True, text=True, timeout=60, env=_env(), cwd=cwd or None, **kw)


def forksafe_cli(*args: str, cwd: str = "") -> subprocess.CompletedProcess[str]:
    return _run([sys.executable, "-m", "forksafe", *args], cwd=cwd)


def test_version() -> None:
    out = forksafe_cli("--version")
    assert out.returncode == 0 and out.stdout == f"forksafe {forksafe.__version__}\n", out


@pytest.mark.parametrize("command", [[], ["run"], ["lint"], ["report"], ["demo"]],
                         ids=lambda c: c[0] if c else "top")
def test_every_help_has_examples(command: list[str]) -> None:
    out = forksafe_cli(*command, "--help")
    assert out.returncode == 0, out
    assert "usage:" in out.stdout and "\nexamples:\n" in out.stdout, out.stdout
    examples = out.stdout.split("\nexamples:\n", 1)[1]
    assert f"forksafe {command[0] if command else ''}".strip() in examples, examples


# What a program sees of its interpreter: identical under python and under forksafe run.
SHOW = ("import sys, json; print(json.dumps({'argv': sys.argv, 'path0': sys.path[0], 'name': __name__, "
        "'dev': sys.flags.dev_mode, 'warnoptions': sys.warnoptions, 'xoptions': sys._xoptions, "
        "'write_through': sys.stdout.write_through, 'file': globals().get('__file__')}))")

INTERPRETER_OPTIONS = [[], ["-u"], ["-X", "dev"], ["-W", "error::DeprecationWarning", "-X", "utf8", "-u"],
                       ["-Werror", "-Xdev"]]


@pytest.mark.parametrize("options", INTERPRETER_OPTIONS, ids=lambda o: " ".join(o) or "none")
def test_run_c_is_python_c(options: list[str], tmp_path) -> None:
    python = _run([sys.executable, *options, "-c", SHOW, "a", "--b"], cwd=str(tmp_path))
    ours = forksafe_cli("run", *options, "-c", SHOW, "a", "--b", cwd=str(tmp_path))
    assert python.returncode == ours.returncode == 0, (python, ours)
    assert ours.stdout == python.stdout and ours.stderr == python.stderr


def test_run_c_program_is_patched_and_its_traceback_is_pythons(tmp_path) -> None:
    patched = forksafe_cli("run", "-c", "import forksafe; print(forksafe.is_patched())")
    assert patched.stdout == "True\n", patched
    code = "def f():\n    raise ValueError('boom')\nf()"
    python = _run([sys.executable, "-c", code], cwd=str(tmp_path))
    ours = forksafe_cli("run", "-c", code, cwd=str(tmp_path))
    assert python.returncode == ours.returncode == 1
    assert ours.stderr == python.stderr and 'File "<string>", line 2, in f' in ours.stderr


@pytest.mark.parametrize("options", INTERPRETER_OPTIONS[1:], ids=lambda o: " ".join(o))
def test_interpreter_options_reach_a_command(options: list[str], tmp_path) -> None:
    """A command (here the interpreter itself, by path) gets them through their environment
    variables: what it sees matches python started with the options, argv and -X bar."""
    show = SHOW.replace("'xoptions': sys._xoptions, ", "")
    python = _run([sys.executable, *options, "-c", show], cwd=str(tmp_path))
    ours = forksafe_cli("run", *options, sys.executable, "-c", show, cwd=str(tmp_path))
    assert python.returncode == ours.returncode == 0, (python, ours)
    assert ours.stdout == python.stdout


@pytest.mark.parametrize("argv,message", [
    (["run", "-c"], "-c needs the code to run, as python -c"),
    (["run", "-X"], "-X needs an option"),
    (["run", "-W"], "-W needs a warning filter"),
    (["run", "-X", "frozen_modules=off", sys.executable, "-c", "pass"], "-X frozen_modules=off has no "
     "environment-variable form"),
    (["run", "--report"], "--report needs a file"),
    (["run", "--report", "/", "-c", "pass"], "--report needs a file path, not a directory"),
    (["report", "/no/such/report.json"], "no such file: '/no/such/report.json'"),
    (["nosuchcommand"], "unknown command 'nosuchcommand'"),
])
def test_bad_input_says_what_to_do(argv: list[str], message: str) -> None:
    out = forksafe_cli(*argv)
    assert out.returncode == 2 and message in out.stderr, out


def test_report_refuses_a_file_that_is_not_a_report(tmp_path) -> None:
    other = tmp_path / "other.json"
    other.write_text('{"a": 1}')
    out = forksafe_cli("report", str(other))
    assert out.returncode == 2 and "is not a forksafe fork audit report" in out.stderr, out
