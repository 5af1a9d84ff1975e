"""The fix: the parent hands each child only the address; the child opens its own connection (the
parent's pool stays in the parent)."""
from multiprocessing import Process

import psycopg2
from psycopg2.pool import ThreadedConnectionPool


class Reader:
    _pool = None

    def __init__(self, sql):
        self.sql = sql

    def create_connection_pool(self):
        self._pool = ThreadedConnectionPool(1, 10, "dbname=app")

    def read_data(self):
        count = self._pool.getconn().cursor().execute("SELECT count(*) FROM t")
        for worker in range(4):
            Process(target=self.work, args=(worker, "dbname=app", count)).start()

    def work(self, worker, dsn, count):
        psycopg2.connect(dsn).cursor().execute(self.sql, (worker, count))
