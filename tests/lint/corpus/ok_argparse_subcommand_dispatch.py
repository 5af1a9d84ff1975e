"""A sub-command run through argparse's ``set_defaults(func=...)``: ``args.func(args)`` calls ``load``,
whose pool connects in each worker (the initializer) and never in the parent."""
import argparse
from multiprocessing import Pool

import psycopg2

conn = None


def insert(item):
    cur = conn.cursor()
    cur.execute("insert into items values (%s)", (item,))
    conn.commit()


def connect_worker(dsn):
    global conn
    conn = psycopg2.connect(dsn)


def load(args):
    with Pool(4, initializer=connect_worker, initargs=(args.dsn,)) as pool:
        pool.map(insert, range(args.count))


def main():
    parser = argparse.ArgumentParser()
    commands = parser.add_subparsers()
    command = commands.add_parser("load")
    command.add_argument("dsn")
    command.add_argument("--count", type=int, default=10)
    command.set_defaults(func=load)
    args = parser.parse_args()
    args.func(args)


if __name__ == "__main__":
    main()
