"""Shared helpers for the async SQL client tests (tests/clients/test_async_*.py).

The programs under ``async_programs/`` are what a user writes; these helpers run them as their own
interpreters (plainly, under ``forksafe run``, or under strace) with the private servers'
parameters, and read the JSON line they print.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from typing import Any, Optional, Sequence

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
PROGRAMS = os.path.join(HERE, "async_programs")
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, PROGRAMS)

from async_clients import CLIENTS, Client  # noqa: E402

CLIENT_LIST = list(CLIENTS.values())
PYTHON = [sys.executable]
FORKSAFE_RUN = [sys.executable, "-m", "forksafe", "run"]  # zero-code: the program unmodified


def server_params(request: pytest.FixtureRequest, client: Client) -> dict[str, Any]:
    """Connection parameters for ``client``'s private server (started once per session)."""
    server = request.getfixturevalue(client.server)
    if client.server == "postgresql":
        return {"pg_dsn": server.pg_dsn, "pg_url": server.url, "port": server.port}
    kwargs = dict(server.mysql_kwargs)
    kwargs["db"] = kwargs.pop("database")
    return {"mysql": kwargs, "port": server.port}


def run_program(program: str, args: Sequence[str], server: Optional[dict[str, Any]] = None, *,
                launcher: Sequence[str] = PYTHON, timeout: float = 150) -> dict[str, Any]:
    """Run ``program`` with ``launcher`` (``PYTHON``, ``FORKSAFE_RUN``, strace + either)."""
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([os.path.join(ROOT, "src"), ROOT]))
    env.pop("FORKSAFE_ON_FORK", None)
    if server is not None:
        env["FORKSAFE_ASYNC_SERVER"] = json.dumps(server)
    cmd = [*launcher, os.path.join(PROGRAMS, program), *args]
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=timeout, cwd=ROOT)
    lines = [line for line in proc.stdout.splitlines() if line.startswith("{")]
    assert lines, f"{program} printed nothing (exit {proc.returncode}):\n{proc.stdout}\n{proc.stderr[-3000:]}"
    result: dict[str, Any] = json.loads(lines[-1])
    result["stderr"] = proc.stderr
    return result


def children(client: Client, server: dict[str, Any], mode: str, n: int = 8, queries: int = 100,
             action: str = "use", launcher: Sequence[str] = PYTHON) -> dict[str, Any]:
    """Run async_children.py: the parent makes and uses ``client``, ``n`` forked children run
    their own loops through it, then the parent checks its own."""
    return run_program("async_children.py", [client.name, mode, str(n), str(queries), action], server,
                       launcher=launcher)


def make_line(client: Client, raw: bool) -> str:
    """``async_clients.py:N``: the line that makes the client (what strict and warn modes name)."""
    fn = client.make_raw if raw else client.make_forksafe
    with open(os.path.join(PROGRAMS, "async_clients.py")) as f:
        source = f.read().splitlines()
    start = fn.__code__.co_firstlineno
    for number in range(start, start + 12):
        text = source[number - 1]
        if ("forksafe.connect_async(" in text or "await " in text or "AsyncConnectionPool(" in text) \
                and "def " not in text:
            return f"async_clients.py:{number}"
    raise AssertionError(f"no making line found in {fn.__name__}")


# -- strace: what a child sent on the parent's sessions -------------------------------------------

def strace_prefix(trace_dir: str) -> list[str]:
    return ["strace", "-f", "-ff", "-qq", "-yy", "-e", "trace=write,writev,sendto,sendmsg,shutdown,close",
            "-o", os.path.join(trace_dir, "trace")]


def sent_on_parent_sessions(trace_dir: str, child_pids: Sequence[int], port: int) -> list[str]:
    """The children's system calls on sockets the parent also used to reach the server.

    A connection is told apart by its client-side port: a child's own new connection has its
    own port and is fine; anything on a port the parent wrote from is the parent's session.
    """
    to_server = re.compile(rf"TCP:\[127\.0\.0\.1:(\d+)->127\.0\.0\.1:{port}\]")
    calls: dict[int, list[str]] = {}
    for name in os.listdir(trace_dir):
        with open(os.path.join(trace_dir, name)) as f:
            calls[int(name.rsplit(".", 1)[1])] = f.read().splitlines()
    kids = set(child_pids)
    parent_ports = {m.group(1) for pid, lines in calls.items() if pid not in kids
                    for line in lines for m in [to_server.search(line)] if m}
    assert parent_ports, "strace saw no parent traffic: the trace is not exercising anything"
    return [line for pid in kids for line in calls.get(pid, [])
            if (m := to_server.search(line)) and m.group(1) in parent_ports]


def calls_on_inherited_fds(trace_dir: str, child_pids: Sequence[int], port: int) -> list[str]:
    """The children's system calls on any descriptor number the parent used to reach the server,
    whatever it points at now (``/dev/null`` after the quarantine, the socket without it).

    The parent makes all its connections before forking, so these numbers are the inherited
    ones; a child's own new sockets get other numbers. This sees a close through the driver even
    when the quarantine makes it harmless: each safety layer is checked on its own.
    """
    fd_on_server = re.compile(rf"^\w+\((\d+)<TCP:\[127\.0\.0\.1:\d+->127\.0\.0\.1:{port}\]>")
    any_fd = re.compile(r"^\w+\((\d+)<")
    kids = set(child_pids)
    inherited: set[str] = set()
    child_lines: list[str] = []
    for name in os.listdir(trace_dir):
        pid = int(name.rsplit(".", 1)[1])
        with open(os.path.join(trace_dir, name)) as f:
            lines = f.read().splitlines()
        if pid in kids:
            child_lines += lines
        else:
            inherited.update(m.group(1) for line in lines for m in [fd_on_server.match(line)] if m)
    assert inherited, "strace saw no parent traffic: the trace is not exercising anything"
    return [line for line in child_lines if (m := any_fd.match(line)) and m.group(1) in inherited]
