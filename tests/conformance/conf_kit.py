"""What the conformance tests share: one way to make a forksafe connection and the raw driver's
for the same driver, run something in a forked child, and put messages from different drivers
into one comparable form.

Every behaviour is one test parametrised over ``harness.drivers.DRIVERS``; where a test asks
"the same message on every path", it compares the driver's message with the one the *generic*
path gives for a driver forksafe has no adapter for (``unknown_driver_connect``: sqlite3 behind a
function of this module), so psycopg2's own class, the proxy and the adapter-less path are held
to one text.
"""

from __future__ import annotations

import os
import re
import signal
import sqlite3
import subprocess
import sys
from typing import Any, Callable, NamedTuple, Optional

from harness.drivers import DriverSpec
from harness.forking import fork_children

import forksafe

DRIVER_IDS = lambda spec: spec.name  # noqa: E731  (pytest ids)


def make(spec: DriverSpec, server: Any, **options: Any) -> Any:
    """``forksafe.connect`` for ``spec``; made on the caller's line (origin)."""
    args, kwargs = spec.connect_args(server)
    return forksafe.connect(spec.connect_fn, *args, **options, **kwargs)


def make_raw(spec: DriverSpec, server: Any) -> Any:
    args, kwargs = spec.connect_args(server)
    return spec.connect_fn(*args, **kwargs)


def driver_module(spec: DriverSpec) -> Any:
    import importlib

    return importlib.import_module(spec.module)


def unknown_driver_connect(path: str) -> Any:
    """A connect function no adapter matches (its ``__module__`` is this test module)."""
    return sqlite3.connect(path, timeout=30)


def scalar(conn: Any, sql: str, params: Any = None) -> Any:
    cur = conn.cursor()
    if params is None:
        cur.execute(sql)
    else:
        cur.execute(sql, params)
    row = cur.fetchone()
    cur.close()
    return row[0] if row else None


def in_children(fn: Callable[[int], Any], n: int = 1, timeout: float = 30.0) -> list[Any]:
    """Fork ``n`` children running ``fn(index)``; their return values (every child must succeed)."""
    outcome = fork_children(fn, n, timeout=timeout)
    assert outcome.ok, outcome.summary()
    return [c.report for c in outcome.children]


def line_here() -> int:
    """The caller's line number."""
    return sys._getframe(1).f_lineno


def open_descriptors() -> dict[int, str]:
    """This process's sockets and regular files, by descriptor: what opening a connection adds."""
    found = {}
    for name in os.listdir("/proc/self/fd"):
        try:
            target = os.readlink(f"/proc/self/fd/{name}")
        except OSError:
            continue
        is_file = target.startswith("/") and not target.startswith(("/dev/", "/proc/"))
        if is_file or target.startswith("socket:"):
            found[int(name)] = target
    return found


def outcome_of(action: Callable[[], Any]) -> tuple[str, str]:
    """(``"ok"`` or the exception's class name, its message): comparable across processes."""
    try:
        action()
    except Exception as exc:
        return type(exc).__name__, str(exc)
    return "ok", ""


def normalised(message: str, *, label: str, pids: dict[int, str], where: dict[str, str]) -> str:
    """``message`` with what legitimately differs between drivers and runs replaced by names."""
    for text, name in where.items():
        message = message.replace(text, name)
    for pid, name in pids.items():
        message = re.sub(rf"\b{pid}\b", name, message)
    return message.replace(label, "<driver>")


class Ran(NamedTuple):
    pid: int
    returncode: Optional[int]  # None: killed at the deadline
    stdout: str
    stderr: str

    def explain(self) -> str:
        return f"exit={self.returncode}\nstdout={self.stdout[-1500:]}\nstderr={self.stderr[-3000:]}"


def program_env(**extra: str) -> dict[str, str]:
    """This environment without forksafe's variables, importing the forksafe under test."""
    src = os.path.dirname(os.path.dirname(os.path.abspath(forksafe.__file__)))
    env = {k: v for k, v in os.environ.items() if not k.startswith("FORKSAFE_")}
    env["PYTHONPATH"] = src
    env.update(extra)
    return env


def run_program(argv: list[str], env: dict[str, str], timeout: float = 60.0) -> Ran:
    """Run ``argv`` in its own process group, killed whole if it outlives ``timeout``."""
    proc = subprocess.Popen(argv, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)
    try:
        out, err = proc.communicate(timeout=timeout)
        code: Optional[int] = proc.returncode
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        out, err = proc.communicate()
        code = None
    try:
        os.killpg(proc.pid, signal.SIGKILL)  # stragglers
    except ProcessLookupError:
        pass
    return Ran(proc.pid, code, out, err)
