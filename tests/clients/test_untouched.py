"""What a forked child legitimately inherits is never quarantined, all under ``forksafe run``.

Each program first makes and uses a redis client, so a leased client socket exists when it forks.
The children report that descriptor as ``/dev/null`` under ``forksafe run`` (the quarantine ran;
a raw run shows a live socket), while what they must keep works: the connections a
``ForkingTCPServer`` accepted, the listener gunicorn's ``--preload`` workers inherit, and
``multiprocessing`` pipes, queues and pools.
"""

from __future__ import annotations

import http.client
import json
import os
import subprocess
import sys
import uuid
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
PROGRAMS = os.path.join(HERE, "programs")
sys.path.insert(0, os.path.join(ROOT, "tests", "engines"))

from enginekit import engine, free_port, port_open, wait_for  # noqa: E402

RUN = [sys.executable, "-m", "forksafe", "run"]


def environment(redis_url: str) -> dict[str, str]:
    env = dict(os.environ, FS_REDIS_URL=redis_url, PYTHONUNBUFFERED="1")
    env["PYTHONPATH"] = os.pathsep.join([os.path.join(ROOT, "src"), ROOT, PROGRAMS])
    env["PATH"] = os.path.dirname(sys.executable) + os.pathsep + env.get("PATH", "")
    return env


def run_case(case: str, redis_url: str, zero_code: bool) -> dict[str, Any]:
    prefix = RUN if zero_code else []
    proc = subprocess.run([*prefix, sys.executable, os.path.join(PROGRAMS, "untouched.py"), case],
                          env=environment(redis_url), capture_output=True, text=True, timeout=90, cwd=ROOT)
    lines = [line for line in proc.stdout.splitlines() if line.startswith("{")]
    assert lines, f"no result (exit {proc.returncode}):\n{proc.stderr[-3000:]}"
    result: dict[str, Any] = json.loads(lines[-1])
    assert result["ok"], result["error"]
    return result


@pytest.mark.parametrize("zero_code", [True, False], ids=["forksafe-run", "raw"])
def test_forking_tcp_server_keeps_serving_accepted_clients(zero_code: bool, redis_server: Any) -> None:
    result = run_case("forking-server", redis_server.url, zero_code)
    assert result["answers"] == 80 and result["handlers"] == 4, result
    assert result["accepted"] == ["socket"], result  # each handler's accepted connection: live
    assert result["inherited"] == (["/dev/null"] if zero_code else ["socket"]), result
    assert result["parent_redis"]


@pytest.mark.parametrize("zero_code", [True, False], ids=["forksafe-run", "raw"])
def test_multiprocessing_queue_pipe_pool_keep_working(zero_code: bool, redis_server: Any) -> None:
    result = run_case("mp-queue-pipe", redis_server.url, zero_code)
    assert result["hellos"] == 4 and result["replies"] == [f"reply-{i}" for i in range(4)], result
    assert result["exitcodes"] == [0, 0, 0, 0] and result["squares_ok"], result
    assert result["inherited"] == (["/dev/null"] if zero_code else ["socket"]), result
    assert result["parent_redis"]


def test_gunicorn_preload_keeps_serving_under_forksafe_run(redis_server: Any, tmp_path: Any) -> None:
    port = free_port()
    argv = [*RUN, "gunicorn", "--preload", "-w", "2", "-b", f"127.0.0.1:{port}", "--timeout", "10",
            "--graceful-timeout", "3", "--log-level", "warning", "untouched_wsgi:app"]
    with engine(argv, str(tmp_path / "gunicorn.log"), environment(redis_server.url)) as eng:
        wait_for(lambda: port_open(port), 60, "gunicorn listening", eng)

        def get(i: int) -> str:
            token = f"tok-{i}-{uuid.uuid4().hex[:6]}"
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=15)
            try:
                conn.request("GET", f"/?{token}")
                body = conn.getresponse().read().decode()
            finally:
                conn.close()
            echoed, pid, inherited = body.split("|")
            assert echoed == token, body
            return f"{pid}|{inherited}"

        with ThreadPoolExecutor(8) as pool:
            answers = list(pool.map(get, range(200)))
        log = eng.output()
    assert len(answers) == 200, log
    assert {a.split("|")[1] for a in answers} == {"/dev/null"}, (set(answers), log)
    assert eng.proc.pid not in {int(a.split("|")[0]) for a in answers}
