"""A client given to a class's constructor and kept as ``self.conn`` travels with the instance: a
Process subclass made with it, a bound method of it as the target, the instance as an argument."""
import multiprocessing as mp

import pymysql


class Writer(mp.Process):
    def __init__(self, conn, rows):
        super().__init__()
        self.conn = conn
        self.rows = rows

    def run(self):
        cur = self.conn.cursor()  # expect: FS102 "passed to Writer() at line 39" "held by the Writer made"
        cur.executemany("INSERT INTO t VALUES (%s)", self.rows)


class Pipeline:
    def __init__(self, store):
        self.store = store

    def process(self, row):
        self.store.cursor().execute("INSERT INTO t", (row,))  # expect: FS102 "passed to Pipeline()"


def insert(pipeline, row):
    pipeline.process(row)


def main():
    conn = pymysql.connect(host="db", user="app")
    pipeline = Pipeline(conn)
    for row in range(3):
        mp.Process(target=pipeline.process, args=(row,)).start()
    with mp.Pool(2) as pool:
        pool.starmap(insert, [(pipeline, r) for r in range(3)])  # expect: FS102 "held as .store"
    for _ in range(2):
        Writer(conn, [(1,), (2,)]).start()


if __name__ == "__main__":
    main()
