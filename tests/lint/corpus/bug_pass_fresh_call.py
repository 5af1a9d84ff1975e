"""A connection made by the argument expression itself (in the parent) is handed to the child."""
import multiprocessing

import asyncpg


def make_pool():
    return asyncpg.create_pool("postgresql://app@db/app")


def child(pool):
    return pool


if __name__ == "__main__":
    p = multiprocessing.Process(target=child, args=(make_pool(),))  # expect: FS102 "returned by make_pool()"
    p.start()
