"""Safe twin: the same factory called inside the child."""
import multiprocessing

import psycopg


def make_conn():
    return psycopg.connect("dbname=app")


def child():
    make_conn().cursor().execute("select 1")


if __name__ == "__main__":
    p = multiprocessing.Process(target=child)
    p.start()
