"""Safe twin of bug_module_pool: the program sets the spawn start method, so no socket is inherited."""
import multiprocessing

import psycopg2

conn = psycopg2.connect("dbname=app")


def work(n):
    with conn.cursor() as cur:
        cur.execute("SELECT %s", (n,))
        return cur.fetchone()


if __name__ == "__main__":
    multiprocessing.set_start_method("spawn")
    with multiprocessing.Pool(4) as pool:
        print(pool.map(work, range(10)))
