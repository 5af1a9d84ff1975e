import multiprocessing

import psycopg2


def work(dsn, n):
    psycopg2.connect(dsn).cursor().execute("select %s", (n,))


def run(dsn, count):
    for n in range(count):
        child = multiprocessing.Process(target=work, args=(dsn, n))
        child.start()
