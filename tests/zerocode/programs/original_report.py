"""The original report's program, ported to Python 3 and otherwise unchanged in what it does:
one module-level MySQLdb connection, ten multiprocessing.Process children inserting through it.

Only the test knobs are new, all from the environment: FS_MYSQL (JSON connect keyword
arguments), FS_TABLE, FS_CHILDREN, FS_ROWS, FS_CHECK=1 (each child first checks that the server
echoes a token only it can expect, so sharing the connection fails every run, not just some),
FS_DEADLINE (seconds before hung children are killed). The last line printed is a JSON summary;
the exit code is 0 only if every child exited 0, every row landed and the parent's connection
still works.
"""

# ruff: noqa: UP031  (written the way such programs are: %-formatting, as in the report)

import json
import multiprocessing
import os
import sys

import MySQLdb

settings = json.loads(os.environ["FS_MYSQL"])
TABLE = os.environ.get("FS_TABLE", "report")
CHILDREN = int(os.environ.get("FS_CHILDREN", "10"))
ROWS = int(os.environ.get("FS_ROWS", "10"))
CHECK = os.environ.get("FS_CHECK") == "1"
DEADLINE = float(os.environ.get("FS_DEADLINE", "60"))

db = MySQLdb.connect(**settings)  # the module-level connection of the report
cursor = db.cursor()


def insert_rows(n):
    cur = db.cursor()
    for i in range(ROWS):
        if CHECK:
            token = "%d-%d-%d" % (n, i, os.getpid())
            cur.execute("SELECT %s", (token,))
            got = cur.fetchone()[0]
            if got != token:
                raise RuntimeError("child %d expected %r from the server, got %r" % (n, token, got))
        cur.execute("INSERT INTO " + TABLE + " (who, n) VALUES (%s, %s)", (str(n), i))
    db.commit()


if __name__ == "__main__":
    cursor.execute("CREATE TABLE IF NOT EXISTS " + TABLE
                   + " (id INT AUTO_INCREMENT PRIMARY KEY, who TEXT, n INT)")
    db.commit()
    procs = [multiprocessing.Process(target=insert_rows, args=(n,)) for n in range(CHILDREN)]
    from progkit import start_and_join  # here, so the program's own lines keep their numbers

    hung = start_and_join(procs, DEADLINE)
    summary = {"parent_pid": os.getpid(), "child_pids": [p.pid for p in procs],
               "exitcodes": [p.exitcode for p in procs], "hung": hung}
    try:  # the parent's own connection, after the children
        cursor = db.cursor()
        cursor.execute("SELECT COUNT(*) FROM " + TABLE)
        summary["rows"] = cursor.fetchone()[0]
        summary["parent_ok"] = True
    except Exception as e:
        summary["parent_ok"] = False
        summary["parent_error"] = repr(e)
        fresh = MySQLdb.connect(**settings)
        c = fresh.cursor()
        c.execute("SELECT COUNT(*) FROM " + TABLE)
        summary["rows"] = c.fetchone()[0]
        fresh.close()
    summary["expected"] = CHILDREN * ROWS
    print(json.dumps(summary))
    ok = summary["parent_ok"] and summary["rows"] == summary["expected"] and not hung and all(
        code == 0 for code in summary["exitcodes"])
    sys.exit(0 if ok else 1)
