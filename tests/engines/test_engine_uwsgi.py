"""uWSGI (pyuwsgi) preforking 4 workers from a master that imported the app and used its connection.

uWSGI differs from gunicorn: it forks in C and, by default, does not tell Python, so no
``os.register_at_fork`` hook runs in its workers. These tests show that forksafe alone is then not
enough (the workers share the master's session just as with the raw driver), and that either the
``py-call-osafterfork`` option or ``forksafe.integrations.uwsgi.install()`` fixes it.
"""

from __future__ import annotations

from typing import Any

from enginekit import first_errors
from test_engine_gunicorn import REQUESTS, serve_and_hammer


def uwsgi_argv(*extra: str) -> Any:
    def argv(port: int) -> list[str]:
        return ["uwsgi", "--http-socket", f"127.0.0.1:{port}", "--master", "--processes", "4",
                "--module", "wsgi_app:app", "--die-on-term", "--disable-logging", "--harakiri", "10",
                *extra]

    return argv


def test_uwsgi_forksafe_with_py_call_osafterfork(database: Any, tmp_path: Any) -> None:
    db = database("psycopg2")
    out = serve_and_hammer(db, "forksafe", tmp_path, argv=uwsgi_argv("--py-call-osafterfork"))
    assert not out["bad"], f"{len(out['bad'])} bad: {first_errors(out['bad'])}\n{out['log']}"
    assert out["ok"] == REQUESTS


def test_uwsgi_forksafe_with_install_hook(database: Any, tmp_path: Any) -> None:
    db = database("psycopg2")
    out = serve_and_hammer(db, "forksafe", tmp_path, argv=uwsgi_argv(), FS_UWSGI_HOOK="1")
    assert not out["bad"], f"{len(out['bad'])} bad: {first_errors(out['bad'])}\n{out['log']}"
    assert out["ok"] == REQUESTS


def test_uwsgi_forksafe_without_either_control(database: Any, tmp_path: Any) -> None:
    """Without the option or the hook, Python never learns of the fork: the bug is back."""
    db = database("psycopg2")
    out = serve_and_hammer(db, "forksafe", tmp_path, stop_after=10, argv=uwsgi_argv())
    print("control errors:", first_errors(out["bad"], 4), "ok:", out["ok"])
    assert out["bad"], "forksafe alone survived uWSGI's C fork; this control no longer shows the gap"


def test_uwsgi_raw_psycopg2_control(database: Any, tmp_path: Any) -> None:
    db = database("psycopg2")
    out = serve_and_hammer(db, "raw", tmp_path, stop_after=10, argv=uwsgi_argv("--py-call-osafterfork"))
    print("control errors:", first_errors(out["bad"], 4), "ok:", out["ok"])
    assert out["bad"], f"the raw driver answered all {REQUESTS} requests right; the bug was not exercised"
