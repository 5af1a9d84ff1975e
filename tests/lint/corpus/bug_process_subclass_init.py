"""Process subclass connecting in __init__ (runs in the parent) and using it in run (the child)."""
import multiprocessing

import pymysql


class Worker(multiprocessing.Process):
    def __init__(self, n):
        super().__init__()
        self.n = n
        self.conn = pymysql.connect(host="db")

    def run(self):
        self.work()

    def work(self):
        with self.conn.cursor() as cur:  # expect: FS103
            cur.execute("select %s", (self.n,))
