"""Shared by the HTTP client tests: the echo server fixture and one bounded way to run the program.

``run_program`` runs ``programs/http_fork.py`` in a fresh interpreter, in one of three modes:
``raw`` (the control: no forksafe at all), ``explicit`` (the program calls the integrations'
``install()``), ``run`` (the unmodified program under ``python -m forksafe run``); optionally under
strace. It returns the JSON summary the program prints last.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from typing import Any, Iterator, Optional

import pytest
from harness.http_servers import HTTPServers, start_http_servers
from harness.syscalls import strace_prefix

HERE = os.path.dirname(os.path.abspath(__file__))
PROGRAMS = os.path.join(HERE, "programs")
PROGRAM = os.path.join(PROGRAMS, "http_fork.py")
ROOT = os.path.dirname(os.path.dirname(HERE))
SYNC_CLIENTS = ["requests", "urllib3", "botocore", "elastic-transport", "httpx"]
# One per distinct pool-lock implementation (botocore and elastic-transport hold urllib3's).
LOCKING_CLIENTS = ["requests", "urllib3", "httpx"]
CLIENTS = SYNC_CLIENTS + ["httpx-async", "aiohttp"]
REOPENING_CLIENTS = SYNC_CLIENTS + ["httpx-async"]  # a child gets its own connection through them
TRANSPORTS = ["http", "tls"]
MODES = ["explicit", "run"]


@pytest.fixture(scope="session")
def http_servers() -> Iterator[HTTPServers]:
    servers = start_http_servers()
    yield servers
    servers.stop()


def _env(extra: Optional[dict[str, str]]) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("FORKSAFE_")}
    inherited = [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p]
    env["PYTHONPATH"] = os.pathsep.join([*inherited, os.path.join(ROOT, "src"), ROOT, PROGRAMS])
    env.update(extra or {})
    return env


def run_program(servers: HTTPServers, client: str, transport: str, scenario: str, mode: str,
                *, env: Optional[dict[str, str]] = None, trace_dir: str = "",
                timeout: float = 120.0) -> dict[str, Any]:
    """Run the fork program once; kill its whole process group if it outlives ``timeout``."""
    args = [PROGRAM, client, servers.url(transport == "tls"), servers.cert, scenario]
    if mode == "explicit":
        argv = [sys.executable, *args, "--install"]
    elif mode == "run":
        argv = [sys.executable, "-m", "forksafe", "run", *args]
    elif mode == "raw":
        argv = [sys.executable, *args]
    else:
        raise ValueError(mode)
    if trace_dir:
        argv = strace_prefix(trace_dir) + argv
    proc = subprocess.Popen(argv, env=_env(env), cwd=PROGRAMS, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, start_new_session=True)
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        out, err = proc.communicate()
    finally:
        try:
            os.killpg(proc.pid, signal.SIGKILL)  # stragglers: a hung child of the control
        except ProcessLookupError:
            pass
    for line in reversed(out.strip().splitlines()):
        if line.startswith("{"):
            summary: dict[str, Any] = json.loads(line)
            summary["stderr"] = err[-3000:]
            return summary
    raise AssertionError(f"{' '.join(argv)} printed no summary (exit {proc.returncode}):\n"
                         f"{out[-1500:]}\n{err[-3000:]}")


def all_children_ok(summary: dict[str, Any]) -> bool:
    return summary.get("children_ok") == 8 and not summary.get("children_hung")


def explain(summary: dict[str, Any]) -> str:
    shown = {k: v for k, v in summary.items() if k != "stderr"}
    return json.dumps(shown, indent=1)[:4000] + "\n--- stderr ---\n" + summary.get("stderr", "")[-1500:]
