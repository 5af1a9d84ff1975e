"""Zero-code mode: forksafe.patch() makes every later driver connection fork-safe."""
import multiprocessing

import forksafe

forksafe.patch()

import psycopg2  # noqa: E402

conn = psycopg2.connect("dbname=app")


def work(n):
    return conn.cursor().execute("select %s", (n,))


if __name__ == "__main__":
    with multiprocessing.Pool(2) as pool:
        pool.map(work, range(4))
