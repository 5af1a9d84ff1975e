"""The fork audit report on the real engines: a Celery prefork worker, gunicorn ``--preload`` and an
RQ worker, each an unmodified app holding a raw driver connection made at import in the process
that later forks, started with ``forksafe run --report``. Each report must name the line that
made the connection (``appdb.py``, in ``connect``), the engine's parent as its maker, the children
that used it ("reconnected") and those that never did ("quarantined"). The controls without
forksafe are the ``*_control`` tests of the engine test files (the same apps and engines, without
forksafe).
"""

from __future__ import annotations

import json
import os
import sys
import time
import uuid
from typing import Any

from celery import Celery
from enginekit import APPS, app_env, engine, free_port, port_open, wait_for
from redis import Redis
from rq import Queue
from test_engine_celery import worker_argv
from test_engine_gunicorn import get, gunicorn_argv

APPDB = os.path.join(APPS, "appdb.py")
TASKS = 24


def _connect_origin() -> str:
    with open(APPDB) as f:
        line = next(n for n, text in enumerate(f, 1) if "return module.connect(" in text)
    return f"{APPDB}:{line}"


def _crossing(report: dict[str, Any]) -> dict[str, Any]:
    found = [c for c in report["crossings"] if c["origin"] == _connect_origin()]
    assert len(found) == 1, json.dumps(report, indent=1)[-4000:]
    c = found[0]
    assert c["function"] == "connect" and c["label"] == "MySQLdb" and c["kind"] == "connection", c
    # Each child either used it (its own connection) or never did (cut off at fork, nothing sent).
    assert all(ch["actions"] in (["reconnected"], ["quarantined"]) for ch in c["children"]), c
    return c


def _children(c: dict[str, Any], action: str) -> set[int]:
    return {ch["pid"] for ch in c["children"] if ch["actions"] == [action]}


def _forked_by(report: dict[str, Any], parent: int) -> set[int]:
    return {p["pid"] for p in report["processes"] if p["ppid"] == parent and p["forked"]}


def _report(path: Any, log: str) -> dict[str, Any]:
    deadline = time.monotonic() + 15
    while not os.path.exists(path) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert os.path.exists(path), f"no report written at {path}\n{log}"
    report: dict[str, Any] = json.loads(open(path).read())
    return report


def _run_prefix(report: Any) -> list[str]:
    return ["forksafe", "run", "--report", str(report)]


def test_audit_celery_prefork_worker(database: Any, redis_server: Any, tmp_path: Any) -> None:
    db = database("MySQLdb")
    queue = f"q{uuid.uuid4().hex[:10]}"
    out = tmp_path / "celery-forks.json"
    env = app_env(FS_BROKER=redis_server.url, FS_QUEUE=queue, **db.env("raw"))
    client = Celery("client", broker=redis_server.url, backend=redis_server.url)
    pids: set[int] = set()
    with engine(worker_argv(queue, _run_prefix(out)), str(tmp_path / "celery.log"), env) as eng:
        results = [client.send_task("celery_app.insert", args=[f"tok-{i}"], queue=queue)
                   for i in range(TASKS)]
        for r in results:
            pids.add(int(r.get(timeout=60, interval=0.05)[0]))
        master = eng.proc.pid
    client.close()
    report = _report(out, eng.output())
    c = _crossing(report)
    assert c["made_pids"] == [master] and report["top_pid"] == master, (c, master)
    assert _children(c, "reconnected") == pids and master not in pids, (c, pids)
    # The pool processes that ran no task inherited it too, and never touched it.
    assert {ch["pid"] for ch in c["children"]} == _forked_by(report, master), (c, report["processes"])


def test_audit_gunicorn_preload(database: Any, tmp_path: Any) -> None:
    db = database("MySQLdb")
    port = free_port()
    out = tmp_path / "gunicorn-forks.json"
    env = app_env(**db.env("raw"))
    with engine(gunicorn_argv(port, _run_prefix(out)), str(tmp_path / "gunicorn.log"), env) as eng:
        wait_for(lambda: port_open(port), 60, "gunicorn listening", eng)
        answers = [get(port, f"tok-{i}", 15) for i in range(40)]
        master = eng.proc.pid
    assert answers == [(200, f"tok-{i}") for i in range(40)]
    report = _report(out, eng.output())
    c = _crossing(report)
    workers = _forked_by(report, master)
    assert c["made_pids"] == [master] and report["top_pid"] == master, (c, master)
    assert len(workers) == 4, report["processes"]  # gunicorn -w 4: its four forked workers
    assert {ch["pid"] for ch in c["children"]} == workers and _children(c, "reconnected"), (c, workers)


def test_audit_rq_worker(database: Any, redis_server: Any, tmp_path: Any) -> None:
    db = database("MySQLdb")
    name = f"q{uuid.uuid4().hex[:10]}"
    redis = Redis.from_url(redis_server.url)
    queue = Queue(name, connection=redis)
    jobs = [queue.enqueue("rq_tasks.insert", f"tok-{i}", result_ttl=600) for i in range(8)]
    out = tmp_path / "rq-forks.json"
    env = app_env(FS_BROKER=redis_server.url, FS_QUEUE=name, **db.env("raw"))
    argv = [sys.executable, "-m", "forksafe", "run", "--report", str(out), "-m", "rq_worker"]
    with engine(argv, str(tmp_path / "rq.log"), env) as eng:
        wait_for(lambda: not eng.alive(), 120, "the burst worker finishing its jobs", None)
        top = eng.proc.pid
    horses = set()
    for job in jobs:
        job.refresh()
        assert job.get_status() == "finished", (job.get_status(), eng.output())
        horses.add(int(job.return_value()))
    redis.close()
    report = _report(out, eng.output())
    c = _crossing(report)
    assert c["made_pids"] == [top] and report["top_pid"] == top, (c, top)
    assert _children(c, "reconnected") == horses and len(horses) == 8, (c, horses)
