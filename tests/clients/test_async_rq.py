"""RQ (a work horse forked per job) with an asyncpg pool made and used at import by the worker's
parent, each job on its own ``asyncio.run``: unmodified under ``forksafe run`` every job gets its
own answer and the parent's pool still works; without forksafe the jobs fail."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from typing import Any

import pytest
from async_support import FORKSAFE_RUN, PROGRAMS, ROOT

pytestmark = pytest.mark.timeout(180)
JOBS = 20


def _run(launcher: list[str], postgresql: Any, redis_server: Any) -> dict[str, Any]:
    import json

    env = dict(os.environ, PYTHONPATH=os.pathsep.join([os.path.join(ROOT, "src"), ROOT]),
               FS_PG_URL=postgresql.url, FS_BROKER=redis_server.url, FS_QUEUE=f"q{uuid.uuid4().hex[:10]}",
               FS_JOBS=str(JOBS))
    env.pop("FORKSAFE_ON_FORK", None)
    proc = subprocess.run([*launcher, os.path.join(PROGRAMS, "rq_async_worker.py")], env=env, cwd=ROOT,
                          capture_output=True, text=True, timeout=150)
    lines = [line for line in proc.stdout.splitlines() if line.startswith("{")]
    assert lines, f"no result (exit {proc.returncode}):\n{proc.stdout}\n{proc.stderr[-3000:]}"
    result: dict[str, Any] = json.loads(lines[-1])
    return result


def test_rq_jobs_with_an_import_time_pool_under_forksafe_run(postgresql: Any, redis_server: Any) -> None:
    result = _run(FORKSAFE_RUN, postgresql, redis_server)
    assert result["pool_type"] == "forksafe._async.AsyncProxy", result
    assert result["ok"] == JOBS and result["failed"] == 0, result
    assert result["parent_ok"] is True, result


def test_control_rq_jobs_fail_without_forksafe(postgresql: Any, redis_server: Any) -> None:
    result = _run([sys.executable], postgresql, redis_server)
    assert result["pool_type"] == "asyncpg.pool.Pool", result
    assert result["ok"] < JOBS or result["parent_ok"] is not True, result
