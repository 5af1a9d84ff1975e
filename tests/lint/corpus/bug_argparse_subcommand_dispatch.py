"""A sub-command run through argparse's ``set_defaults(func=...)``: ``args.func(args)`` calls ``load``,
which connects in the parent and then forks the pool that inserts through that connection."""
import argparse
from multiprocessing import Pool

import psycopg2

conn = None


def insert(item):
    cur = conn.cursor()  # expect: FS101 "psycopg2.connect() made at line 19" "Pool.map"
    cur.execute("insert into items values (%s)", (item,))
    conn.commit()


def load(args):
    global conn
    conn = psycopg2.connect(args.dsn)
    with Pool(4) as pool:
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
