"""Zero-code on the engines: unmodified apps holding a raw driver connection, started through
``forksafe run``. The same apps started without it are the controls in the engine test files
(``*_control``), which fail."""

from __future__ import annotations

from typing import Any

from enginekit import first_errors
from test_engine_celery import TASKS, one_session_each, run_celery
from test_engine_gunicorn import REQUESTS, serve_and_hammer

RUN = ["forksafe", "run"]


def test_forksafe_run_celery_raw_mysqldb(database: Any, redis_server: Any, tmp_path: Any) -> None:
    db = database("MySQLdb")
    out = run_celery(db, redis_server.url, "raw", tmp_path, stop_on_failure=False, prefix=RUN)
    assert not out["failures"], f"{first_errors(out['failures'])}\n{out['log']}"
    assert out["done"] == TASKS and out["rows"] == TASKS
    assert len(out["pids"]) >= 2 and out["parent"] not in out["pids"]
    one_session_each(out)


def test_forksafe_run_gunicorn_raw_psycopg2(database: Any, tmp_path: Any) -> None:
    db = database("psycopg2")
    out = serve_and_hammer(db, "raw", tmp_path, prefix=RUN)
    assert not out["bad"], f"{len(out['bad'])} bad: {first_errors(out['bad'])}\n{out['log']}"
    assert out["ok"] == REQUESTS
