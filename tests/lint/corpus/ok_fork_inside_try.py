"""Safe twin: the child opens its own connection after the fork."""
import os
import sqlite3

db = sqlite3.connect("app.db")
cursor = db.cursor()

try:
    pid = os.fork()
except OSError:
    raise SystemExit("could not fork")

if pid == 0:
    child_db = sqlite3.connect("app.db")
    child_db.execute("update t set v = 1")
    raise SystemExit(0)

cursor.execute("select v from t")
