"""The fix: the child makes its own pool; the parent's stays in the parent."""
import multiprocessing

from psycopg2.pool import ThreadedConnectionPool


class LoggedPool(ThreadedConnectionPool):
    def getconn(self, *args, **kwargs):
        print("getconn")
        return super().getconn(*args, **kwargs)


class Loader:
    _pool = None

    def open(self):
        Loader._pool = LoggedPool(4, 8, dbname="app")

    def load(self, rows):
        Loader._pool.getconn()
        child = multiprocessing.Process(target=self.insert, args=(rows,))
        child.start()

    def insert(self, rows):
        conn = LoggedPool(1, 1, dbname="app").getconn()
        conn.cursor().executemany("insert into t values (%s)", rows)


if __name__ == "__main__":
    loader = Loader()
    loader.open()
    loader.load([(1,), (2,)])
