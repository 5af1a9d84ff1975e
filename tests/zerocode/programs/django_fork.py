"""A Django program that queries in the parent, then forks multiprocessing children that create
and query model rows through the ORM: the way Django code meets Celery's prefork pool or
gunicorn --preload. Unmodified between the forksafe runs and the control.

FS_DJANGO_DRIVER=psycopg2 hides psycopg 3 so Django's PostgreSQL backend uses psycopg2 (Django
prefers psycopg 3 when both are installed). FS_CHILDREN, FS_ROWS, FS_DEADLINE as elsewhere.
Prints a JSON summary; exit code 0 only if every child succeeded, every row landed and the
parent's session survived.
"""

# ruff: noqa: UP031  (written the way such programs are: %-formatting, as in the report)

import json
import multiprocessing
import os
import sys

if os.environ.get("FS_DJANGO_DRIVER") == "psycopg2":
    sys.modules["psycopg"] = None  # Django falls back to psycopg2

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "djproject"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "settings")

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from notes.models import Note  # noqa: E402

CHILDREN = int(os.environ.get("FS_CHILDREN", "8"))
ROWS = int(os.environ.get("FS_ROWS", "20"))
DEADLINE = float(os.environ.get("FS_DEADLINE", "60"))
POOLED = bool(connection.settings_dict["OPTIONS"].get("pool"))
BACKEND_SQL = "SELECT pg_backend_pid()" if connection.vendor == "postgresql" else "SELECT CONNECTION_ID()"


def echo(token):
    with connection.cursor() as cur:
        cur.execute("SELECT %s", [token])
        got = cur.fetchone()[0]
    if got != token:
        raise RuntimeError("expected %r from the server, got %r" % (token, got))


def child(i):
    for k in range(ROWS):
        echo("%d-%d-%d" % (i, k, os.getpid()))
        Note.objects.create(who="child-%d" % i, n=k)
        if POOLED and k == ROWS // 2:
            connection.close()  # back to the (child's own) pool, then check out again
    count = Note.objects.filter(who="child-%d" % i).count()
    if count != ROWS:
        raise RuntimeError("child %d sees %d of its %d rows" % (i, count, ROWS))


if __name__ == "__main__":
    call_command("migrate", run_syncdb=True, verbosity=0)
    Note.objects.create(who="parent", n=0)
    if POOLED:
        connection.close()  # the pool now holds idle connections
    echo("parent-before")
    with connection.cursor() as cur:
        cur.execute(BACKEND_SQL)
        backend_before = cur.fetchone()[0]
    procs = [multiprocessing.Process(target=child, args=(i,)) for i in range(CHILDREN)]
    from progkit import start_and_join  # here, so the program's own lines keep their numbers

    hung = start_and_join(procs, DEADLINE)
    summary = {"vendor": connection.vendor, "pooled": POOLED, "exitcodes": [p.exitcode for p in procs],
               "hung": hung, "expected": CHILDREN * ROWS + 1}
    try:
        echo("parent-after")
        with connection.cursor() as cur:
            cur.execute(BACKEND_SQL)
            summary["same_session"] = cur.fetchone()[0] == backend_before
        summary["rows"] = Note.objects.count()
        summary["parent_ok"] = True
    except Exception as e:
        summary["parent_ok"] = False
        summary["parent_error"] = repr(e)
        connection.close()
        try:
            summary["rows"] = Note.objects.count()
        except Exception as e2:
            summary["rows"] = -1
            summary["count_error"] = repr(e2)
    summary["connection_type"] = type(connection.connection).__module__ if connection.connection else None
    print(json.dumps(summary))
    ok = (not hung and all(c == 0 for c in summary["exitcodes"]) and summary["parent_ok"]
          and summary["same_session"] and summary["rows"] == summary["expected"])
    sys.exit(0 if ok else 1)
