"""Run forked children with every wait bounded, and report what each one did.

Fork tests must never hang CI: each child gets a deadline, and whatever is still running then is
killed and reported as hung. A child reports through a pipe (a JSON line), so a child that dies
or hangs is told apart from one that returned a wrong answer.
"""

from __future__ import annotations

import json
import os
import signal
import time
import traceback
from dataclasses import dataclass, field
from typing import Any, Callable, Optional


@dataclass
class ChildResult:
    pid: int
    exitcode: Optional[int] = None  # None: hung and killed
    report: Any = None
    error: str = ""
    hung: bool = False


@dataclass
class Outcome:
    children: list[ChildResult] = field(default_factory=list)

    @property
    def hung(self) -> int:
        return sum(c.hung for c in self.children)

    @property
    def failed(self) -> list[ChildResult]:
        return [c for c in self.children if c.hung or c.exitcode != 0 or c.error]

    @property
    def ok(self) -> bool:
        return not self.failed

    def summary(self) -> str:
        bad = self.failed
        lines = [f"{len(self.children) - len(bad)}/{len(self.children)} children ok, {self.hung} hung"]
        for c in bad[:5]:
            lines.append(f"  pid {c.pid}: exit={c.exitcode} hung={c.hung} error={c.error[-400:]!r}")
        return "\n".join(lines)


def fork_children(
    target: Callable[[int], Any],
    n: int,
    *,
    timeout: float = 60.0,
    exit_mode: str = "os_exit",
    stop_early: bool = False,
) -> Outcome:
    """Fork ``n`` children running ``target(index)``; wait at most ``timeout`` seconds in all.

    ``exit_mode``: ``os_exit`` ends the child like multiprocessing does (no finalizers);
    ``shutdown`` returns through a full interpreter shutdown (``sys.exit``: atexit, GC, destructors).
    A child's return value is its report; an exception is its error (exit code 1).
    ``stop_early``: once one child has failed, kill the rest (controls need only one failure).
    """
    pipes: dict[int, int] = {}
    results: dict[int, ChildResult] = {}
    for index in range(n):
        read_fd, write_fd = os.pipe()
        pid = os.fork()
        if pid == 0:  # child
            os.close(read_fd)
            code = 0
            payload: dict[str, Any] = {}
            try:
                payload["report"] = target(index)
            except BaseException:  # report everything, even SystemExit
                payload["error"] = traceback.format_exc()
                code = 1
            try:
                data = json.dumps(payload, default=repr).encode()
                view = memoryview(data + b"\n")
                while view:
                    view = view[os.write(write_fd, view):]
                os.close(write_fd)
            except BaseException:
                code = 2
            if exit_mode == "shutdown":
                import sys

                sys.exit(code)
            os._exit(code)
        os.close(write_fd)
        pipes[pid] = read_fd
        results[pid] = ChildResult(pid)

    deadline = time.monotonic() + timeout
    pending = set(results)
    while pending and time.monotonic() < deadline:
        for pid in list(pending):
            done, status = os.waitpid(pid, os.WNOHANG)
            if done:
                results[pid].exitcode = os.waitstatus_to_exitcode(status)
                pending.discard(pid)
                if stop_early and results[pid].exitcode != 0:
                    deadline = 0.0
        if pending and time.monotonic() < deadline:
            time.sleep(0.02)
    for pid in pending:
        results[pid].hung = True
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
    for pid, fd in pipes.items():
        chunks = []
        os.set_blocking(fd, False)
        try:
            while True:
                chunk = os.read(fd, 65536)
                if not chunk:
                    break
                chunks.append(chunk)
        except BlockingIOError:
            pass
        os.close(fd)
        text = b"".join(chunks).decode(errors="replace").strip()
        if text:
            try:
                payload = json.loads(text.splitlines()[0])
                results[pid].report = payload.get("report")
                results[pid].error = payload.get("error", "")
            except ValueError:
                results[pid].error = f"unreadable report: {text[:200]!r}"
        elif not results[pid].hung and results[pid].exitcode == 0:
            results[pid].error = "no report"
    return Outcome([results[p] for p in results])
