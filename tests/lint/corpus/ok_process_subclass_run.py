"""Safe twin: connect in run()."""
import multiprocessing

import pymysql


class Worker(multiprocessing.Process):
    def __init__(self, n):
        super().__init__()
        self.n = n
        self.conn = None

    def run(self):
        self.conn = pymysql.connect(host="db")
        with self.conn.cursor() as cur:
            cur.execute("select %s", (self.n,))
