"""Helpers for the zero-code tests: run a program in a fresh interpreter, bounded, and read its
JSON summary (the last line it prints)."""

from __future__ import annotations

import importlib.util
import json
import os
import signal
import subprocess
import sys
from dataclasses import dataclass
from typing import Any, Optional

HERE = os.path.dirname(os.path.abspath(__file__))
PROGRAMS = os.path.join(HERE, "programs")
ROOT = os.path.dirname(os.path.dirname(HERE))
PYTHON = sys.executable
# The forksafe this test process imports, first for the programs too (a worktree run with
# PYTHONPATH=src tests its own tree; under the editable install this is the install's own path).
FORKSAFE_SRC = os.path.dirname(os.path.dirname(os.path.abspath(importlib.util.find_spec("forksafe").origin)))


@dataclass
class Ran:
    returncode: Optional[int]  # None: killed at the deadline
    stdout: str
    stderr: str

    @property
    def summary(self) -> dict[str, Any]:
        for line in reversed(self.stdout.strip().splitlines()):
            if line.startswith("{"):
                return dict(json.loads(line))
        raise AssertionError(f"no JSON summary; {self.explain()}")

    def explain(self) -> str:
        return f"exit={self.returncode}\nstdout={self.stdout[-1500:]}\nstderr={self.stderr[-3000:]}"


def clean_env(**extra: str) -> dict[str, str]:
    """This environment without forksafe's variables (each test sets what it wants)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("FORKSAFE_") and k != "PYTHONPATH"}
    env["PYTHONPATH"] = os.pathsep.join([FORKSAFE_SRC, ROOT, PROGRAMS])
    env.update(extra)
    return env


def run(argv: list[str], env: dict[str, str], timeout: float = 180.0, cwd: str = PROGRAMS) -> Ran:
    """Run ``argv`` in its own process group; kill the whole group if it outlives ``timeout``."""
    proc = subprocess.Popen(argv, env=env, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, start_new_session=True)
    try:
        out, err = proc.communicate(timeout=timeout)
        return Ran(proc.returncode, out, err)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        out, err = proc.communicate()
        return Ran(None, out, err)
    finally:
        try:
            os.killpg(proc.pid, signal.SIGKILL)  # stragglers of a finished program
        except ProcessLookupError:
            pass


def forksafe_run(args: list[str], env: dict[str, str], timeout: float = 180.0) -> Ran:
    return run([PYTHON, "-m", "forksafe", "run", *args], env, timeout)


def plain_python(args: list[str], env: dict[str, str], timeout: float = 180.0) -> Ran:
    return run([PYTHON, *args], env, timeout)


def db_config(spec: Any, server: Any) -> dict[str, Any]:
    args, kwargs = spec.connect_args(server)
    return {"module": spec.module, "args": list(args), "kwargs": kwargs, "placeholder": spec.placeholder}


def create_table(spec: Any, server: Any, table: str) -> None:
    from harness.drivers import create_table as create

    args, kwargs = spec.connect_args(server)
    create(spec, lambda: spec.connect_fn(*args, **kwargs), table)
