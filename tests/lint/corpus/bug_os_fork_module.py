"""Module-level fork: `if not os.fork()` child branch calls a helper that uses the global."""
import os
import sqlite3 as lite

conn = lite.connect("/tmp/x.db")


def record(v):
    conn.execute("insert into t values (?)", (v,))  # expect: FS105


if not os.fork():
    record(1)
    os._exit(0)
record(2)
