"""A WSGI app with a module-level connection used at import (gunicorn ``--preload`` imports it
in the master, before forking the workers). ``GET /?TOKEN`` answers what the database echoed."""

from __future__ import annotations

import os
from typing import Any, Callable, Iterable

import appdb

if os.environ.get("FS_UWSGI_HOOK"):
    import forksafe.integrations.uwsgi

    forksafe.integrations.uwsgi.install()

conn = appdb.connect()
appdb.use(conn)


def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
    token = environ.get("QUERY_STRING", "")
    try:
        cur = conn.cursor()
        cur.execute("SELECT %s", (token,))
        row = cur.fetchone()
        cur.close()
        conn.commit()
        body, status = str(row[0] if row else None).encode(), "200 OK"
    except Exception as exc:  # the control's errors go back to the client to be counted
        body = f"{type(exc).__module__}.{type(exc).__name__}: {exc}".encode()
        status = "500 Internal Server Error"
    start_response(status, [("Content-Type", "text/plain"), ("Content-Length", str(len(body)))])
    return [body]
