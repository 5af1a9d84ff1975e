"""The example apps in examples/ run as their docs say, on the real engines (smaller counts)."""

from __future__ import annotations

import http.client
import os
import subprocess
import sys
from typing import Any

import psycopg2
import pytest
from enginekit import ROOT, engine, free_port, port_open, stop_group, wait_for

EXAMPLES = os.path.join(ROOT, "examples")
BIN = os.path.dirname(sys.executable)


def example_env(where: str, **extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.path.join(EXAMPLES, where)
    env["PATH"] = BIN + os.pathsep + env.get("PATH", "")
    env.update(extra)
    return env


def run(argv: list[str], env: dict[str, str], cwd: str, timeout: float = 120) -> str:
    proc = subprocess.Popen(argv, env=env, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            start_new_session=True)
    try:
        out, _ = proc.communicate(timeout=timeout)
    finally:
        stop_group(proc, grace=2)
    text = out.decode(errors="replace")
    assert proc.returncode == 0, text
    return text


def mysql_env(mariadb: Any) -> dict[str, str]:
    kw = mariadb.mysql_kwargs
    return {"MYSQL_HOST": str(kw["host"]), "MYSQL_PORT": str(kw["port"]), "MYSQL_USER": str(kw["user"]),
            "MYSQL_PASSWORD": str(kw["password"]), "MYSQL_DATABASE": str(kw["database"])}


def fetch(port: int, token: str) -> str:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=15)
    try:
        conn.request("GET", f"/?{token}")
        return conn.getresponse().read().decode()
    finally:
        conn.close()


def test_celery_example(mariadb: Any, redis_server: Any, tmp_path: Any) -> None:
    where = os.path.join(EXAMPLES, "celery")
    env = example_env("celery", REDIS_URL=redis_server.url.replace("/0", "/3"), **mysql_env(mariadb))
    argv = ["celery", "-A", "tasks", "worker", "-P", "prefork", "-c", "4", "--without-gossip",
            "--without-mingle", "--without-heartbeat", "-l", "warning"]
    with engine(argv, str(tmp_path / "celery.log"), env):
        out = run([sys.executable, "send.py", "40"], env, where)
    assert "40 tasks done by" in out, out


def test_rq_example(postgresql: Any, redis_server: Any) -> None:
    where = os.path.join(EXAMPLES, "rq")
    env = example_env("rq", REDIS_URL=redis_server.url.replace("/0", "/4"), PG_DSN=postgresql.pg_dsn)
    assert "enqueued 30 jobs" in run([sys.executable, "enqueue.py", "30"], env, where)
    run([sys.executable, "worker.py"], env, where, timeout=180)
    conn = psycopg2.connect(postgresql.pg_dsn)
    try:
        cur = conn.cursor()
        cur.execute("SELECT COUNT(*), COUNT(DISTINCT pid) FROM rq_events")
        assert cur.fetchone() == (30, 30)
    finally:
        conn.close()


@pytest.mark.parametrize("server", ["gunicorn", "uwsgi"])
def test_web_examples(postgresql: Any, tmp_path: Any, server: str) -> None:
    port = free_port()
    env = example_env(server, PG_DSN=postgresql.pg_dsn)
    if server == "gunicorn":
        argv = ["gunicorn", "--preload", "-w", "4", "-b", f"127.0.0.1:{port}", "app:app"]
    else:
        with open(os.path.join(EXAMPLES, "uwsgi", "uwsgi.ini")) as f:
            ini = f.read().replace("127.0.0.1:8000", f"127.0.0.1:{port}")
        (tmp_path / "uwsgi.ini").write_text(ini)
        argv = ["uwsgi", "--ini", str(tmp_path / "uwsgi.ini"), "--disable-logging"]
    with engine(argv, str(tmp_path / f"{server}.log"), env) as eng:
        wait_for(lambda: port_open(port), 60, server, eng)
        for i in range(60):
            assert fetch(port, f"hello-{i}") == f"hello-{i}"


@pytest.mark.parametrize("method", ["fork", "spawn"])
def test_multiprocessing_example(postgresql: Any, method: str) -> None:
    where = os.path.join(EXAMPLES, "multiprocessing")
    env = example_env("multiprocessing", PG_DSN=postgresql.pg_dsn)
    out = run([sys.executable, "pool_demo.py", method], env, where)
    assert "workers, one server session each, parent's session" in out, out
    assert out.strip().endswith("untouched: True"), out
