# The original report's program as filed, ported to Python 3: a module-level MySQLdb connection
# the parent never uses, and ten multiprocessing.Process children inserting through it.
# Only the connect arguments and the table name come from the environment (FS_MYSQL, FS_TABLE).
import json
import os
from multiprocessing import Process

import MySQLdb

TABLE = os.environ.get("FS_TABLE", "people")
db = MySQLdb.connect(**json.loads(os.environ["FS_MYSQL"]))


def f(name):
    cursor = db.cursor()
    cursor.execute("INSERT INTO " + TABLE + " (who) VALUES (%s)", (name,))
    db.commit()


if __name__ == "__main__":
    for i in range(10):  # noqa: B007  (as filed)
        p = Process(target=f, args=("bob",))
        p.start()
