"""Safe: an in-memory SQLite database is private to each process after os.fork (each has its own
copy); nothing is shared."""
import os
import sqlite3

db = sqlite3.connect(":memory:")
db.execute("create table t (v text)")
if os.fork() == 0:
    db.execute("insert into t values ('child')")
    os._exit(0)
db.execute("insert into t values ('parent')")
