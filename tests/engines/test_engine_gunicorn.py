"""gunicorn ``--preload``: the master imports the app (and uses its connection), then forks 4 workers.

2000 requests from 16 client threads on loopback; each asks the database to echo a token of its
own and checks that the response carries that token. The control serves the same app with the
driver's own connection, which the four workers then share.
"""

from __future__ import annotations

import http.client
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Callable, Optional, Sequence

from enginekit import app_env, engine, first_errors, free_port, port_open, wait_for

REQUESTS = 2000
CLIENTS = 16


def gunicorn_argv(port: int, prefix: Sequence[str] = ()) -> list[str]:
    return [*prefix, "gunicorn", "--preload", "-w", "4", "-b", f"127.0.0.1:{port}", "--timeout", "10",
            "--graceful-timeout", "3", "--log-level", "warning", "wsgi_app:app"]


def get(port: int, token: str, timeout: float) -> tuple[int, str]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("GET", f"/?{token}")
        resp = conn.getresponse()
        return resp.status, resp.read().decode(errors="replace")
    finally:
        conn.close()


def hammer(port: int, stop_after: Optional[int]) -> dict[str, Any]:
    """Send REQUESTS requests; with ``stop_after``, stop sending once that many went wrong.

    A control's worker may hang on a reply another worker consumed: its clients give up sooner.
    """
    timeout = 15.0 if stop_after is None else 5.0
    bad: list[str] = []
    ok = 0
    lock = threading.Lock()
    enough = threading.Event()

    def one(i: int) -> None:
        nonlocal ok
        if enough.is_set():
            return
        token = f"tok-{i}-{uuid.uuid4().hex[:8]}"
        try:
            status, body = get(port, token, timeout)
            good = status == 200 and body == token
            error = "" if good else f"asked {token}, got HTTP {status}: {body[:300]}"
        except Exception as exc:
            error = f"{type(exc).__name__}: {exc}"
        with lock:
            if error:
                bad.append(error)
                if stop_after is not None and len(bad) >= stop_after:
                    enough.set()
            else:
                ok += 1

    with ThreadPoolExecutor(CLIENTS) as pool:
        list(pool.map(one, range(REQUESTS)))
    return {"ok": ok, "bad": bad}


def serve_and_hammer(db: Any, mode: str, tmp_path: Any, stop_after: Optional[int] = None,
                     prefix: Sequence[str] = (), argv: Optional[Callable[[int], list[str]]] = None,
                     **extra_env: str) -> dict[str, Any]:
    port = free_port()
    env = app_env(**db.env(mode), **extra_env)
    command = argv(port) if argv is not None else gunicorn_argv(port, prefix)
    with engine(command, str(tmp_path / f"{command[0]}-{mode}.log"), env) as eng:
        wait_for(lambda: port_open(port), 60, "gunicorn listening", eng)
        out = hammer(port, stop_after)
        out["log"] = eng.output()
    return out


def test_gunicorn_preload_forksafe_psycopg2(database: Any, tmp_path: Any) -> None:
    db = database("psycopg2")
    out = serve_and_hammer(db, "forksafe", tmp_path)
    assert not out["bad"], f"{len(out['bad'])} bad: {first_errors(out['bad'])}\n{out['log']}"
    assert out["ok"] == REQUESTS


def test_gunicorn_preload_raw_psycopg2_control(database: Any, tmp_path: Any) -> None:
    db = database("psycopg2")
    out = serve_and_hammer(db, "raw", tmp_path, stop_after=10)
    print("control errors:", first_errors(out["bad"], 5), "ok:", out["ok"])
    assert out["bad"], f"the raw driver answered all {REQUESTS} requests right; the bug was not exercised"
