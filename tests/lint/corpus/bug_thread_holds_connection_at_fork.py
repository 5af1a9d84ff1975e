"""A reporting thread keeps a database connection while the main thread starts a worker process:
the child frees the thread's frames, and psycopg2 closes the connection there, over the socket the
parent's thread goes on querying (psycopg2 issue 829)."""
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
    child = multiprocessing.Process(target=crunch)
    child.start()  # expect: FS106 "held by thread 'report'" "psycopg2.connect() made at line 12"
    beats.join()
    child.join()


if __name__ == "__main__":
    main()
