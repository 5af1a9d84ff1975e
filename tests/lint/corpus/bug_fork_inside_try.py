"""The fork is inside try: (for OSError); the pid test comes after it."""
import os
import sqlite3

db = sqlite3.connect("app.db")
cursor = db.cursor()

try:
    pid = os.fork()
except OSError:
    raise SystemExit("could not fork")

if pid == 0:
    cursor.execute("update t set v = 1")  # expect: FS105 "db.cursor() at line 6"
    raise SystemExit(0)

cursor.execute("select v from t")
