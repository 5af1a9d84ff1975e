"""A child that closes, garbage-collects, exits through a full interpreter shutdown, or is killed with
its inherited connection never breaks the parent's session, and strace shows the child sends not one
byte to the server.

Controls: where docs/evidence.md (and our own runs) show the raw driver breaking the parent, the
raw run must break it here too, and strace must show the child writing to the server's socket.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from typing import Any

import pytest
from harness.drivers import DRIVERS, SERVER_DRIVERS, DriverSpec

PROGRAM = os.path.join(os.path.dirname(__file__), "programs", "inherit_and_leave.py")
ACTIONS = ["close", "gc", "exit", "kill", "use"]
# (driver, action) pairs where the raw driver ends the parent's session (docs/evidence.md, and
# mysql-connector measured here).
RAW_BREAKS = {
    ("MySQLdb", "close"), ("MySQLdb", "gc"), ("MySQLdb", "exit"),
    ("pymysql", "close"), ("psycopg2", "close"), ("psycopg", "close"),
    ("mysql.connector", "close"),
}


def _run(spec: DriverSpec, server: Any, mode: str, action: str, trace_dir: str = "") -> dict[str, Any]:
    args, kwargs = spec.connect_args(server)
    env = dict(os.environ, FORKSAFE_CONNECT_ARGS=json.dumps({"args": list(args), "kwargs": kwargs}))
    cmd = [sys.executable, PROGRAM, spec.name, mode, action]
    if trace_dir:
        cmd = ["strace", "-f", "-ff", "-qq", "-yy", "-e", "trace=write,writev,sendto,sendmsg",
               "-o", os.path.join(trace_dir, "trace")] + cmd
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=60)
    lines = [line for line in proc.stdout.splitlines() if line.startswith("{")]
    assert lines, f"program printed no result (exit {proc.returncode}):\n{proc.stdout}\n{proc.stderr}"
    result: dict[str, Any] = json.loads(lines[-1])
    result["stderr"] = proc.stderr
    return result


def _bytes_sent_to_server(trace_dir: str, child: int, port: int) -> list[str]:
    """The child's writes on the parent's session: sockets to the server whose local port the
    parent wrote from. (A child that reconnects writes on its own, new socket: that is fine.)"""
    to_server = re.compile(rf"TCP:\[127\.0\.0\.1:(\d+)->127\.0\.0\.1:{port}\]")
    calls: dict[int, list[str]] = {}
    for name in os.listdir(trace_dir):
        with open(os.path.join(trace_dir, name)) as f:
            calls[int(name.rsplit(".", 1)[1])] = f.read().splitlines()
    parent_ports = {m.group(1) for pid, lines in calls.items() if pid != child
                    for line in lines for m in [to_server.search(line)] if m}
    assert parent_ports, "strace saw no parent traffic: the trace is not exercising anything"
    return [c for c in calls[child] if (m := to_server.search(c)) and m.group(1) in parent_ports]


@pytest.mark.fork
@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("spec", DRIVERS, ids=lambda s: s.name)
def test_child_never_breaks_parent_session(spec: DriverSpec, action: str, server_for: Any) -> None:
    result = _run(spec, server_for(spec), "forksafe", action)
    assert result["parent_ok"], f"parent broken after child {action}: {result}"
    expected_status = -9 if action == "kill" else 0
    assert result["child_status"] == expected_status, result


@pytest.mark.parametrize("action", ["close", "gc", "exit", "use"])
@pytest.mark.parametrize("spec", SERVER_DRIVERS, ids=lambda s: s.name)
def test_strace_child_sends_nothing_to_server(spec: DriverSpec, action: str, server_for: Any,
                                              tmp_path: Any) -> None:
    server = server_for(spec)
    result = _run(spec, server, "forksafe", action, trace_dir=str(tmp_path))
    assert result["parent_ok"], result
    sent = _bytes_sent_to_server(str(tmp_path), result["child_pid"], server.port)
    assert sent == [], "child wrote to the parent's server socket:\n" + "\n".join(sent[:5])


@pytest.mark.parametrize("spec,action", sorted(RAW_BREAKS), ids=lambda v: getattr(v, "name", v))
def test_control_raw_driver_child_breaks_parent(spec: str, action: str, server_for: Any,
                                                tmp_path: Any) -> None:
    driver = next(d for d in DRIVERS if d.name == spec)
    server = server_for(driver)
    result = _run(driver, server, "raw", action, trace_dir=str(tmp_path))
    assert not result["parent_ok"], f"raw {spec} survived child {action}: the control no longer shows the bug"
    assert _bytes_sent_to_server(str(tmp_path), result["child_pid"], server.port), "no bytes seen by strace"
