"""Celery's prefork pool with an asyncpg pool made and used at import by the worker's parent, each
task on its own ``asyncio.run``: unmodified under ``forksafe run`` every task gets its own token
back from the pool's children; without forksafe the tasks fail."""

from __future__ import annotations

import os
import sys
import time
import uuid
from typing import Any, Sequence

import pytest
from async_support import PROGRAMS, ROOT

sys.path.insert(0, os.path.join(ROOT, "tests", "engines"))
from enginekit import app_env, engine  # the engines' bounded process runner

pytestmark = pytest.mark.timeout(180)
TASKS = 40


def _run(prefix: Sequence[str], postgresql: Any, redis_server: Any, tmp_path: Any) -> dict[str, Any]:
    from celery import Celery

    queue = f"q{uuid.uuid4().hex[:10]}"
    env = app_env(FS_BROKER=redis_server.url, FS_QUEUE=queue, FS_PG_URL=postgresql.url)
    env["PYTHONPATH"] = os.pathsep.join([PROGRAMS, os.path.join(ROOT, "src"), env["PYTHONPATH"]])
    env.pop("FORKSAFE_ON_FORK", None)
    argv = [*prefix, "celery", "-A", "celery_async_app", "worker", "-P", "prefork", "-c", "2", "-Q", queue,
            "-n", f"{queue}@%h", "--without-gossip", "--without-mingle", "--without-heartbeat",
            "-l", "warning"]
    client = Celery("client", broker=redis_server.url, backend=redis_server.url)
    ok, failures, pids = 0, [], set()
    with engine(argv, str(tmp_path / "celery.log"), env) as eng:
        results = [(f"task-{i}", client.send_task("celery_async_app.echo", args=[f"task-{i}"], queue=queue))
                   for i in range(TASKS)]
        deadline = time.monotonic() + 90
        for token, result in results:
            left = deadline - time.monotonic()
            if left <= 0 or not eng.alive():
                break
            try:
                value = result.get(timeout=left, propagate=False, interval=0.05)
            except Exception as exc:  # no result in time
                failures.append(f"no result: {type(exc).__name__}")
                break
            if result.successful() and value[1] == token:
                ok += 1
                pids.add(value[0])
            else:
                failures.append(f"{type(value).__name__}: {value}"[:300])
                if len(failures) >= 3:
                    break
        log = eng.output()
        parent = eng.proc.pid
    client.close()
    return {"ok": ok, "failures": failures, "pids": pids, "parent": parent, "log": log}


def test_celery_prefork_with_an_import_time_pool_under_forksafe_run(postgresql: Any, redis_server: Any,
                                                                   tmp_path: Any) -> None:
    out = _run(["forksafe", "run"], postgresql, redis_server, tmp_path)
    assert out["ok"] == TASKS, f"{out['ok']}/{TASKS}: {out['failures']}\n{out['log']}"
    assert out["parent"] not in out["pids"], "the tasks must run in the pool's forked children"


def test_control_celery_prefork_tasks_fail_without_forksafe(postgresql: Any, redis_server: Any,
                                                           tmp_path: Any) -> None:
    out = _run([], postgresql, redis_server, tmp_path)
    print("control:", out["ok"], out["failures"])
    assert out["ok"] < TASKS, f"the raw pool survived {TASKS} tasks: no control\n{out['log']}"
