"""The gunicorn example app, for uWSGI: one extra line, because uWSGI forks without telling Python.

uWSGI forks its workers in C and by default does not run Python's after-fork hooks, so forksafe
would not learn of the fork. Either run uWSGI with ``--py-call-osafterfork`` (``uwsgi.ini`` here
does) or keep the ``install()`` line below; either one is enough.

Run (see docs/engines/uwsgi.md)::

    export PG_DSN="host=127.0.0.1 dbname=app user=app password=..."
    uwsgi --ini uwsgi.ini
    curl 'http://127.0.0.1:8000/?hello'       # -> hello
"""

from __future__ import annotations

import os
from typing import Any, Callable, Iterable

import psycopg2

import forksafe
import forksafe.integrations.uwsgi

forksafe.integrations.uwsgi.install()  # not needed when uWSGI runs with py-call-osafterfork

db = forksafe.connect(psycopg2.connect, os.environ.get("PG_DSN", "dbname=app"))

with db.cursor() as cur:  # used at import, in the uWSGI master
    cur.execute("SELECT 1")
db.commit()


def application(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
    with db.cursor() as cur:
        cur.execute("SELECT %s", (environ.get("QUERY_STRING", ""),))
        body = str(cur.fetchone()[0]).encode()
    db.commit()
    start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", str(len(body)))])
    return [body]
