"""What a traced process sent on which socket, read from ``strace -ff -yy`` output.

``strace_prefix(dir)`` goes in front of a command; every process of it writes its own file
(``trace.PID``) where each socket argument shows its endpoints
(``write(5<TCP:[127.0.0.1:41234->127.0.0.1:8080]>, ...)``). :func:`sent_on_parent_sessions`
returns the calls a child made that put bytes on (or shut down) one of the *parent's* connections
to a server: sockets to that server whose local port another process of the trace wrote from. A
child that opens its own connection writes from a new local port: that is allowed.
"""

from __future__ import annotations

import os
import re

TRACED_CALLS = "write,writev,sendto,sendmsg,shutdown,close"


def strace_prefix(trace_dir: str) -> list[str]:
    return ["strace", "-f", "-ff", "-qq", "-yy", "-e", f"trace={TRACED_CALLS}",
            "-o", os.path.join(trace_dir, "trace")]


def read_traces(trace_dir: str) -> dict[int, list[str]]:
    calls: dict[int, list[str]] = {}
    for name in os.listdir(trace_dir):
        if name.startswith("trace."):
            with open(os.path.join(trace_dir, name), errors="replace") as f:
                calls[int(name.rsplit(".", 1)[1])] = f.read().splitlines()
    return calls


def _to_server(port: int) -> re.Pattern[str]:
    return re.compile(rf"TCP:\[127\.0\.0\.1:(\d+)->127\.0\.0\.1:{port}\]")


def parent_ports(calls: dict[int, list[str]], child: int, port: int) -> set[str]:
    """Local ports of connections to ``port`` that a process other than ``child`` wrote on."""
    pattern = _to_server(port)
    return {m.group(1) for pid, lines in calls.items() if pid != child for line in lines
            if line.startswith(("write", "send")) for m in [pattern.search(line)] if m}


def sent_on_parent_sessions(trace_dir: str, child: int, port: int) -> list[str]:
    """The child's writes and shutdowns on the parent's connections to the server at ``port``."""
    calls = read_traces(trace_dir)
    ports = parent_ports(calls, child, port)
    if not ports:
        raise AssertionError("strace saw no parent traffic to the server: the trace exercises nothing")
    pattern = _to_server(port)
    return [line for line in calls.get(child, [])
            if line.startswith(("write", "send", "shutdown"))
            and (m := pattern.search(line)) and m.group(1) in ports]
