"""Safe: the reporting thread is joined (its connection closed and collected) before the worker
process is started."""
import multiprocessing
import threading
import time

import psycopg2


def report():
    conn = psycopg2.connect("dbname=metrics")
    for _ in range(10):
        conn.cursor().execute("INSERT INTO beats VALUES (now())")
        conn.commit()
        time.sleep(1)


def crunch():
    return sum(range(10**6))


def main():
    beats = threading.Thread(target=report)
    beats.start()
    beats.join()
    child = multiprocessing.Process(target=crunch)
    child.start()
    child.join()


if __name__ == "__main__":
    main()
