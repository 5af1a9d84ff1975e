"""Connections handed to pool workers through functools.partial, apply_async and starmap."""
import functools
import multiprocessing

from MySQLdb import connect as c

shared = c(host="db")


def job(conn, n):
    return n


def main():
    pool = multiprocessing.Pool(3)
    pool.map(functools.partial(job, shared), range(5))  # expect: FS102
    pool.apply_async(job, (shared, 1))  # expect: FS102
    pool.starmap(job, [(shared, n) for n in range(3)])  # expect: FS102
