"""A console-script application (its entry point is ``zc_console_app:main``): a module-level
connection and a multiprocessing pool, started the way services are, by a command name."""

# ruff: noqa: UP031  (written the way such programs are: %-formatting, as in the report)

import json
import multiprocessing
import os
import sys

import MySQLdb

settings = json.loads(os.environ["FS_MYSQL"])
conn = MySQLdb.connect(**settings)  # module level


def task(i):
    cur = conn.cursor()
    for k in range(50):
        token = "%d-%d-%d" % (i, k, os.getpid())
        cur.execute("SELECT %s", (token,))
        got = cur.fetchone()[0]
        if got != token:
            raise RuntimeError("expected %r from the server, got %r" % (token, got))
    return os.getpid()


def main():
    site = sys.modules.get("sitecustomize")
    patch = sys.modules.get("forksafe._patch")
    summary = {"argv": sys.argv[1:], "patched": bool(patch and patch.is_patched()),
               "chained_sitecustomize": getattr(site, "MARKER", None)}
    with multiprocessing.Pool(4) as pool:
        try:
            pool.map_async(task, range(8)).get(float(os.environ.get("FS_DEADLINE", "60")))
            summary["ok"] = True
        except Exception as e:
            summary["ok"] = False
            summary["error"] = repr(e)
    cur = conn.cursor()
    try:
        cur.execute("SELECT %s", ("parent",))
        summary["parent_ok"] = cur.fetchone()[0] == "parent"
    except Exception as e:
        summary["parent_ok"] = False
        summary["parent_error"] = repr(e)
    print(json.dumps(summary))
    return 0 if summary["ok"] and summary["parent_ok"] else 1
