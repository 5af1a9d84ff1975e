"""The original report's scenario: N forked processes, M inserts each, one connection made in the parent.

The parent opens the connection and uses it (as an application does at start-up), then forks all
the children, which wait on a pipe and start together so that they really share the session. Each
child inserts its rows through the inherited connection, and after every insert asks the server to
echo a token only that child can expect (``SELECT %s``) and commits. Inserts and commits get the
same reply whoever sent them, so children sharing one session can read each other's replies
unnoticed; the echo cannot be mistaken, so the raw driver's failure shows in every run, not only
in unlucky ones.

Every wait is bounded. A child that makes no progress for ``hang_after`` seconds is killed and
counted as hung (with a shared socket a child can block forever on a reply another child took).
Children run in process groups of their own, so a Ctrl-C in the terminal reaches only the demo,
which then kills them: nothing is left behind. Signals are blocked around ``fork()`` so no child
can exist without the parent knowing its pid.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import select
import signal
import struct
import threading
import time
from dataclasses import dataclass, field
from typing import Any, Callable, Optional

from .._redact import redact_text
from .target import Target

_SIGNALS = {signal.SIGINT, signal.SIGTERM, signal.SIGHUP}
_TICK = struct.Struct("<H")  # one progress record: the child's index; 2 bytes, atomic on a pipe
HEALTH_TIMEOUT = 10.0


class WrongReply(Exception):
    """The server's answer was meant for another process sharing the session."""


@dataclass
class RunResult:
    label: str
    processes: int
    rows: int
    landed: Optional[int] = None  # None: could not be counted
    children_ok: int = 0
    children_hung: int = 0
    errors: dict[str, int] = field(default_factory=dict)  # kind -> number of children
    parent_ok: bool = False
    parent: str = "not checked"
    seconds: float = 0.0

    @property
    def expected(self) -> int:
        return self.processes * self.rows

    @property
    def clean(self) -> bool:
        return (self.landed == self.expected and not self.errors and not self.children_hung
                and self.parent_ok and self.children_ok == self.processes)

    def as_dict(self) -> dict[str, Any]:
        return {"label": self.label, "processes": self.processes, "rows": self.rows,
                "expected": self.expected, "landed": self.landed, "children_ok": self.children_ok,
                "children_hung": self.children_hung, "errors": dict(self.errors),
                "parent_ok": self.parent_ok, "parent": self.parent, "seconds": round(self.seconds, 3),
                "clean": self.clean}


def error_kind(exc: BaseException) -> str:
    """A short, stable name for an error: its class and the first line of its message.

    Numbers inside quoted names (psycopg 3's ``"_pg3_12"``) are folded so one kind stays one row.
    """
    if isinstance(exc, WrongReply):
        return "wrong reply (another process's answer)"
    name = type(exc).__name__
    message = redact_text(str(exc).strip().splitlines()[0] if str(exc).strip() else "")
    message = re.sub(r'"[^"]*"', lambda m: re.sub(r"\d+", "N", m.group(0)), message)
    if len(message) > 70:
        message = message[:67] + "..."
    return f"{name}: {message}" if message else name


def run(
    label: str,
    make_conn: Callable[[], Any],
    checker: Target,
    table: str,
    processes: int,
    rows: int,
    hang_after: float,
    progress: Callable[[int], None],
) -> RunResult:
    """Run the scenario once; ``progress(n)`` is called with the rows committed since the last call."""
    result = RunResult(label, processes, rows)
    run_id = f"{label[:16]}-{os.getpid()}-{time.monotonic_ns() % 10**9}"
    conn = make_conn()
    children: dict[int, _Child] = {}
    tick_r, tick_w = os.pipe()
    go_r, go_w = os.pipe()  # children start together when the parent closes go_w
    try:
        _parent_uses(conn)
        for index in range(processes):
            child = _fork_child(
                index, lambda i: _child_main(conn, table, run_id, i, rows, tick_w, go_r, go_w))
            children[child.pid] = child
        for fd in (tick_w, go_w, go_r):
            os.close(fd)
        tick_w = go_w = go_r = -1
        started = time.monotonic()
        for child in children.values():
            child.last_seen = started
        _watch(children, tick_r, hang_after, progress)
        result.seconds = time.monotonic() - started
        for child in children.values():
            if child.hung:
                result.children_hung += 1
            elif child.kind:
                result.errors[child.kind] = result.errors.get(child.kind, 0) + 1
            else:
                result.children_ok += 1
        result.parent_ok, result.parent = _parent_health(conn)
    finally:
        _kill_all(children)
        for fd in (tick_r, tick_w, go_r, go_w):
            if fd >= 0:
                os.close(fd)
        with contextlib.suppress(Exception):
            conn.close()
    result.landed = _count(checker, table, run_id)
    return result


@dataclass
class _Child:
    pid: int
    index: int
    report_fd: int
    last_seen: float
    done: bool = False
    hung: bool = False
    kind: str = ""
    buffer: bytes = b""


def _fork_child(index: int, body: Callable[[int], tuple[int, str]]) -> _Child:
    report_r, report_w = os.pipe()
    old_mask = signal.pthread_sigmask(signal.SIG_BLOCK, _SIGNALS)
    try:
        pid = os.fork()
        if pid == 0:  # the child: never returns
            code = 1
            try:
                os.setpgid(0, 0)
                for sig in _SIGNALS:
                    signal.signal(sig, signal.SIG_DFL)
                signal.pthread_sigmask(signal.SIG_SETMASK, old_mask)
                os.close(report_r)
                done, kind = body(index)
                data = json.dumps({"done": done, "kind": kind}).encode()
                view = memoryview(data)
                while view:
                    view = view[os.write(report_w, view):]
                code = 0
            finally:
                os._exit(code)
        with contextlib.suppress(OSError):  # the child does it too; whichever runs first wins
            os.setpgid(pid, pid)
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old_mask)
    os.close(report_w)
    os.set_blocking(report_r, False)
    return _Child(pid, index, report_r, time.monotonic())


def _parent_uses(conn: Any) -> None:
    cur = conn.cursor()
    cur.execute("SELECT %s", ("parent",))
    if _text(cur.fetchone()) != "parent":
        raise RuntimeError("the server did not echo the parent's first query")
    cur.close()
    conn.commit()


def _child_main(conn: Any, table: str, run_id: str, index: int, rows: int, tick_fd: int, go_r: int,
                go_w: int) -> tuple[int, str]:
    done = 0
    os.close(go_w)
    os.read(go_r, 1)  # returns at EOF: every child has been forked, so all of them overlap
    try:
        cur = conn.cursor()
        for seq in range(rows):
            cur.execute(f"INSERT INTO {table} (run, child, seq) VALUES (%s, %s, %s)", (run_id, index, seq))
            token = f"{run_id}:{index}:{seq}"
            cur.execute("SELECT %s", (token,))
            got = _text(cur.fetchone())
            if got != token:
                raise WrongReply(f"expected {token!r}, got {got!r}")
            conn.commit()
            done += 1
            os.write(tick_fd, _TICK.pack(index))
    except Exception as exc:
        return done, error_kind(exc)
    return done, ""


def _text(row: Any) -> Optional[str]:
    if not row:
        return None
    value = row[0]
    return value.decode() if isinstance(value, (bytes, bytearray)) else str(value)


def _watch(
    children: dict[int, _Child], tick_r: int, hang_after: float, progress: Callable[[int], None]
) -> None:
    by_index = {c.index: c for c in children.values()}
    pending = b""
    while any(not c.done for c in children.values()):
        ready, _, _ = select.select([tick_r], [], [], 0.1)
        now = time.monotonic()
        if ready:
            data = os.read(tick_r, 65536)
            pending += data
            usable = len(pending) - len(pending) % _TICK.size
            for (index,) in _TICK.iter_unpack(pending[:usable]):
                by_index[index].last_seen = now
            progress(usable // _TICK.size)
            pending = pending[usable:]
        for child in children.values():
            if child.done:
                continue
            _drain(child)
            finished, _status = os.waitpid(child.pid, os.WNOHANG)
            if finished:
                child.done = True
                _drain(child)
                _read_report(child, _status)
            elif now - child.last_seen > hang_after:
                _kill(child)
                child.done = child.hung = True
        progress(0)


def _drain(child: _Child) -> None:
    with contextlib.suppress(BlockingIOError, OSError):
        while True:
            chunk = os.read(child.report_fd, 65536)
            if not chunk:
                return
            child.buffer += chunk


def _read_report(child: _Child, status: int) -> None:
    try:
        child.kind = str(json.loads(child.buffer.decode())["kind"])
    except (ValueError, KeyError):
        code = os.waitstatus_to_exitcode(status) if hasattr(os, "waitstatus_to_exitcode") else status
        child.kind = f"child died (exit status {code})"


def _kill(child: _Child) -> None:
    with contextlib.suppress(OSError):
        os.killpg(child.pid, signal.SIGKILL)
    with contextlib.suppress(OSError):
        os.kill(child.pid, signal.SIGKILL)
    with contextlib.suppress(ChildProcessError):
        os.waitpid(child.pid, 0)


def _kill_all(children: dict[int, _Child]) -> None:
    for child in children.values():
        if not child.done:
            _kill(child)
            child.done = True
        with contextlib.suppress(OSError):
            os.close(child.report_fd)


def _parent_health(conn: Any) -> tuple[bool, str]:
    """Ask the parent's connection to echo a token, in a thread so a wedged socket cannot hang us.

    If no answer comes in time, the connection's sockets are shut down (the driver adapter knows
    which descriptors they are), which wakes the blocked thread with an error.
    """
    outcome: list[tuple[bool, str]] = []

    def check() -> None:
        try:
            cur = conn.cursor()
            cur.execute("SELECT %s", ("parent-after",))
            got = _text(cur.fetchone())
            if got != "parent-after":
                raise WrongReply(f"got {got!r}")
            conn.commit()
            outcome.append((True, "healthy"))
        except Exception as exc:
            outcome.append((False, "broken: " + error_kind(exc)))

    thread = threading.Thread(target=check, name="forksafe-demo-health", daemon=True)
    thread.start()
    thread.join(HEALTH_TIMEOUT)
    if thread.is_alive():
        _shutdown_sockets(conn)
        thread.join(5.0)
        return False, f"hung: no reply within {HEALTH_TIMEOUT:.0f} s"
    return outcome[0] if outcome else (False, "broken: no answer")


def _shutdown_sockets(conn: Any) -> None:
    import socket

    from .._drivers import adapter_for_connection

    raw = getattr(conn, "forksafe_raw", conn)
    adapter = adapter_for_connection(raw)
    if adapter is None or adapter.fds is None:
        return
    with contextlib.suppress(Exception):
        for fd in adapter.fds(raw):
            sock = socket.socket(fileno=os.dup(fd))
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            sock.close()


def _count(checker: Target, table: str, run_id: str) -> Optional[int]:
    try:
        conn = checker.connect()
    except Exception:
        return None
    try:
        cur = conn.cursor()
        cur.execute(f"SELECT count(*) FROM {table} WHERE run = %s", (run_id,))
        row = cur.fetchone()
        conn.rollback()
        return int(row[0]) if row else None
    except Exception:
        return None
    finally:
        with contextlib.suppress(Exception):
            conn.close()
