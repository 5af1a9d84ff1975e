"""os.fork: `if pid:` is the parent branch; the child runs the else branch."""
import os

import MySQLdb


def serve():
    db = MySQLdb.connect(host="db")
    pid = os.fork()
    if pid:
        db.query("select 1")
    else:
        db.query("select 2")  # expect: FS105
        os._exit(0)
