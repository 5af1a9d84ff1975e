"""Running real engine processes (Celery, RQ, gunicorn) from tests, with every wait bounded.

Each engine runs in a process group of its own (``start_new_session``), so stopping it reaches
every child it forked, including a child hung on a socket read. :func:`engine` always stops the
group, even when the test fails; its output goes to a log file that failing tests print.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from typing import Any, Callable, Iterator, Optional

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
APPS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "apps")
VENV_BIN = os.path.dirname(sys.executable)


@dataclass
class Engine:
    proc: subprocess.Popen[bytes]
    log: str

    def output(self, tail: int = 6000) -> str:
        try:
            with open(self.log, errors="replace") as f:
                return f.read()[-tail:]
        except OSError:
            return "(no log)"

    def alive(self) -> bool:
        return self.proc.poll() is None


def app_env(**extra: str) -> dict[str, str]:
    """The environment for an engine: the example apps importable, our venv first on PATH."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([APPS, ROOT] + ([env["PYTHONPATH"]] if env.get("PYTHONPATH") else []))
    env["PATH"] = VENV_BIN + os.pathsep + env.get("PATH", "")
    env["PYTHONUNBUFFERED"] = "1"
    env.update(extra)
    return env


def stop_group(proc: subprocess.Popen[bytes], grace: float = 10.0) -> None:
    """SIGTERM the whole process group, then SIGKILL what is left after ``grace`` seconds."""
    try:
        pgid = os.getpgid(proc.pid)
    except ProcessLookupError:
        pgid = proc.pid
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pgid, signal.SIGTERM)
    try:
        proc.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        pass
    # Children (pool workers, work horses) may outlive the leader: kill the group regardless.
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pgid, signal.SIGKILL)
    with contextlib.suppress(subprocess.TimeoutExpired):
        proc.wait(timeout=10)


@contextlib.contextmanager
def engine(argv: list[str], log: str, env: dict[str, str], grace: float = 10.0) -> Iterator[Engine]:
    """Start ``argv`` in its own process group; stop the group on exit, whatever happened."""
    with open(log, "wb") as out:
        proc = subprocess.Popen(argv, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL, start_new_session=True)
    try:
        yield Engine(proc, log)
    finally:
        stop_group(proc, grace)


def wait_for(check: Callable[[], bool], timeout: float, what: str, eng: Optional[Engine] = None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        if eng is not None and not eng.alive():
            raise AssertionError(f"{what}: the engine exited ({eng.proc.returncode}):\n{eng.output()}")
        time.sleep(0.1)
    raise AssertionError(f"{what}: not within {timeout}s" + (f"\n{eng.output()}" if eng else ""))


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def port_open(port: int) -> bool:
    with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=0.5):
        return True
    return False


def count_rows(connect: Callable[[], Any], table: str) -> tuple[int, int]:
    """(rows, distinct pids) in ``table``, read through a fresh connection of the test's own."""
    conn = connect()
    try:
        cur = conn.cursor()
        cur.execute(f"SELECT COUNT(*), COUNT(DISTINCT n) FROM {table}")
        rows, pids = cur.fetchone()
        return int(rows), int(pids)
    finally:
        conn.close()


def create_table(connect: Callable[[], Any], sql: str) -> None:
    conn = connect()
    try:
        cur = conn.cursor()
        cur.execute(sql)
        conn.commit()
    finally:
        conn.close()


def first_errors(errors: list[str], n: int = 3) -> str:
    seen: list[str] = []
    for e in errors:
        line = e.strip().splitlines()[-1] if e.strip() else e
        if line not in seen:
            seen.append(line)
        if len(seen) >= n:
            break
    return " | ".join(seen)
