"""A pool set by one method (``create_connection_pool()``, which nothing here calls: the class's user
does) and read by another: ``read_data()`` can only run once the pool exists, so the connection it
takes from it and hands to each ``Process`` is the parent's."""
from multiprocessing import Process

from psycopg2.pool import ThreadedConnectionPool


class Reader:
    _pool = None

    def __init__(self, sql):
        self.sql = sql

    def create_connection_pool(self):
        self._pool = ThreadedConnectionPool(1, 10, "dbname=app")

    def read_data(self):
        for worker in range(4):
            conn = self._pool.getconn()
            Process(target=self.work, args=(worker, conn)).start()  # expect: FS102 "set by create_conn"

    def work(self, worker, conn):
        conn.cursor().execute(self.sql, (worker,))
