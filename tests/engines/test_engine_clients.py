"""Celery and RQ with a task that uses an HTTP client and an async database driver made at import.

The app (``apps/clients_app.py``) makes a ``requests.Session`` and a psycopg 3
``AsyncConnection`` at import and uses both in the worker's parent; tasks run in forked children
(Celery's prefork pool, RQ's work horses), each asking both servers to echo its own token and
reporting which HTTP connection and database session it used. Under ``forksafe run`` every child
has its own of each; the controls run the same unmodified app without forksafe, and fail.
"""

from __future__ import annotations

import sys
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Iterator, Sequence

import pytest
from celery import Celery
from enginekit import app_env, engine, first_errors
from redis import Redis
from rq import Queue
from rq.job import Job
from rq.registry import FailedJobRegistry

RUN = ["forksafe", "run"]
CELERY_TASKS = 200
RQ_JOBS = 60


class _Echo(BaseHTTPRequestHandler):
    """HTTP/1.1 keep-alive: answers ``TOKEN|client-port``, so a reply names the connection it came on."""

    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:
        body = f"{self.path.partition('?')[2]}|{self.client_address[1]}".encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def http_url() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Echo)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def env_for(http_url: str, postgresql: Any, redis_url: str, queue: str) -> dict[str, str]:
    return app_env(FS_HTTP_URL=http_url, FS_PG_DSN=postgresql.pg_dsn, FS_BROKER=redis_url, FS_QUEUE=queue)


def each_child_its_own(results: list[list[int]], parent: int) -> None:
    """No HTTP connection and no database session served two processes.

    A child may open several sessions (the async driver integration gives each event loop its own,
    and each task runs ``asyncio.run``): what must never happen is one used by two processes.
    """
    ports: dict[int, set[int]] = {}
    sessions: dict[int, set[int]] = {}
    for pid, port, backend in results:
        ports.setdefault(port, set()).add(pid)
        sessions.setdefault(backend, set()).add(pid)
    assert parent not in {pid for pid, _, _ in results}, "tasks must run in forked children"
    shared = {p: pids for p, pids in ports.items() if len(pids) > 1}
    assert not shared, f"HTTP connections (client port: pids) used by several processes: {shared}"
    shared = {b: pids for b, pids in sessions.items() if len(pids) > 1}
    assert not shared, f"database sessions (backend pid: pids) used by several processes: {shared}"


# -- Celery ----------------------------------------------------------------------------------------

def run_celery(http_url: str, postgresql: Any, redis_url: str, tmp_path: Any, prefix: Sequence[str],
               stop_on_failure: bool, deadline_s: float) -> dict[str, Any]:
    queue = f"q{uuid.uuid4().hex[:10]}"
    argv = [*prefix, "celery", "-A", "clients_celery", "worker", "-P", "prefork", "-c", "4", "-Q", queue,
            "-n", f"{queue}@%h", "--without-gossip", "--without-mingle", "--without-heartbeat",
            "-l", "warning"]
    client = Celery("client", broker=redis_url, backend=redis_url)
    results: list[list[int]] = []
    failures: list[str] = []
    label = "run" if prefix else "raw"
    env = env_for(http_url, postgresql, redis_url, queue)
    with engine(argv, str(tmp_path / f"celery-{label}.log"), env) as eng:
        pending = [client.send_task("clients_celery.work", args=[f"tok-{i}-{uuid.uuid4().hex[:6]}"],
                                    queue=queue) for i in range(CELERY_TASKS)]
        deadline = time.monotonic() + deadline_s
        for r in pending:
            left = deadline - time.monotonic()
            if left <= 0 or not eng.alive():
                failures.append("not done in time" if left <= 0 else "worker exited")
                break
            try:
                value = r.get(timeout=left, propagate=False, interval=0.05)
            except Exception as exc:  # celery's TimeoutError: a task hung in a child
                failures.append(f"no result: {type(exc).__name__}")
                break
            if r.successful():
                results.append([int(v) for v in value])
            else:
                failures.append(f"{type(value).__name__}: {value}")
                if stop_on_failure:
                    break
        log, parent = eng.output(), eng.proc.pid
    client.close()
    return {"results": results, "failures": failures, "log": log, "parent": parent}


def test_celery_http_and_async_driver_under_forksafe_run(http_url: str, postgresql: Any, redis_server: Any,
                                                          tmp_path: Any) -> None:
    out = run_celery(http_url, postgresql, redis_server.url, tmp_path, RUN, stop_on_failure=False,
                     deadline_s=180)
    assert not out["failures"], f"{first_errors(out['failures'])}\n{out['log']}"
    assert len(out["results"]) == CELERY_TASKS
    assert len({r[0] for r in out["results"]}) >= 2, "all tasks ran in one pool process"
    each_child_its_own(out["results"], out["parent"])


def test_celery_http_and_async_driver_raw_control(http_url: str, postgresql: Any, redis_server: Any,
                                                   tmp_path: Any) -> None:
    out = run_celery(http_url, postgresql, redis_server.url, tmp_path, (), stop_on_failure=True,
                     deadline_s=60)
    print("control errors:", first_errors(out["failures"]))
    broke = bool(out["failures"])
    if not broke:  # every task answered: then the children must have shared the parent's connections
        try:
            each_child_its_own(out["results"], out["parent"])
        except AssertionError:
            broke = True
    assert broke, "the raw clients survived the prefork pool: the scenario does not exercise the bug"


# -- RQ --------------------------------------------------------------------------------------------

def run_rq(http_url: str, postgresql: Any, redis_url: str, tmp_path: Any, prefix: Sequence[str],
           deadline_s: float) -> dict[str, Any]:

    name = f"q{uuid.uuid4().hex[:10]}"
    redis = Redis.from_url(redis_url)
    queue = Queue(name, connection=redis)
    jobs = [queue.enqueue("clients_app.work", f"tok-{i}-{uuid.uuid4().hex[:6]}", result_ttl=600,
                          failure_ttl=600) for i in range(RQ_JOBS)]
    argv = [*prefix, sys.executable, "-m", "clients_rq_worker"]
    label = "run" if prefix else "raw"
    env = env_for(http_url, postgresql, redis_url, name)
    with engine(argv, str(tmp_path / f"rq-{label}.log"), env) as eng:
        deadline = time.monotonic() + deadline_s
        while eng.alive() and time.monotonic() < deadline:
            time.sleep(0.2)
        in_time = not eng.alive()
        log, parent = eng.output(), eng.proc.pid
    results, failures = [], []
    for job in jobs:
        fetched = Job.fetch(job.id, connection=redis)
        if fetched.is_finished:
            results.append([int(v) for v in fetched.return_value()])
        else:
            latest = fetched.latest_result()
            failures.append((latest.exc_string if latest is not None else "") or str(fetched.get_status()))
    failed = FailedJobRegistry(queue=queue).count
    redis.close()
    return {"results": results, "failures": failures, "failed": failed, "in_time": in_time, "log": log,
            "parent": parent}


def test_rq_http_and_async_driver_under_forksafe_run(http_url: str, postgresql: Any, redis_server: Any,
                                                      tmp_path: Any) -> None:
    out = run_rq(http_url, postgresql, redis_server.url, tmp_path, RUN, deadline_s=150)
    assert out["in_time"], f"the worker did not finish {RQ_JOBS} jobs in time\n{out['log']}"
    assert not out["failures"], f"{first_errors(out['failures'])}\n{out['log']}"
    assert len(out["results"]) == RQ_JOBS
    each_child_its_own(out["results"], out["parent"])


def test_rq_http_and_async_driver_raw_control(http_url: str, postgresql: Any, redis_server: Any,
                                               tmp_path: Any) -> None:
    out = run_rq(http_url, postgresql, redis_server.url, tmp_path, (), deadline_s=90)
    print("control errors:", first_errors(out["failures"]))
    broke = bool(out["failures"])
    if not broke:
        try:
            each_child_its_own(out["results"], out["parent"])
        except AssertionError:
            broke = True
    assert broke, "the raw clients survived RQ's work horses: the scenario does not exercise the bug"
