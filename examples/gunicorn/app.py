"""A WSGI app with a module-level PostgreSQL connection (psycopg2), safe under ``gunicorn --preload``.

``--preload`` imports this module in the gunicorn master, which uses the connection at import,
then forks the workers. With ``psycopg2.connect(...)`` the workers share the master's session and
answer each other's requests (``GET /?a`` returns ``b``) or fail with ``no results to fetch``;
with ``forksafe.connect`` each worker opens its own at its first request.

Run (see docs/engines/gunicorn.md)::

    export PG_DSN="host=127.0.0.1 dbname=app user=app password=..."
    gunicorn --preload -w 4 -b 127.0.0.1:8000 app:app
    curl 'http://127.0.0.1:8000/?hello'       # -> hello
"""

from __future__ import annotations

import os
from typing import Any, Callable, Iterable

import psycopg2

import forksafe

# The one line: forksafe.connect(psycopg2.connect, ...) where the app had psycopg2.connect(...).
db = forksafe.connect(psycopg2.connect, os.environ.get("PG_DSN", "dbname=app"))

with db.cursor() as cur:  # used at import, in the master
    cur.execute("SELECT version()")
    VERSION = cur.fetchone()[0]
db.commit()


def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
    """Answer with what the database echoes back for the query string."""
    with db.cursor() as cur:
        cur.execute("SELECT %s", (environ.get("QUERY_STRING", ""),))
        body = str(cur.fetchone()[0]).encode()
    db.commit()
    start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", str(len(body)))])
    return [body]
