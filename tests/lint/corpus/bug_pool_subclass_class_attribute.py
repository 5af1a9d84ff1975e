"""A project class extending a catalogue pool is that pool; the pool is kept as a class attribute set
in a method, and a connection taken from it in the parent is handed to a child."""
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
        conn = Loader._pool.getconn()
        child = multiprocessing.Process(target=self.insert, args=(rows, conn))  # expect: FS102 "LoggedPool()"
        child.start()

    def insert(self, rows, conn):
        conn.cursor().executemany("insert into t values (%s)", rows)


if __name__ == "__main__":
    loader = Loader()
    loader.open()
    loader.load([(1,), (2,)])
