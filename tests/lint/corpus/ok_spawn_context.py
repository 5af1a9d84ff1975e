"""Safe twin: a spawn context re-imports the module in the child; pass a DSN, not a connection."""
import multiprocessing

from MySQLdb import connect as c

shared = c(host="db")


def job(dsn, n):
    return c(host=dsn).cursor().execute("select %s", (n,))


def main():
    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(3) as pool:
        pool.starmap(job, [("db", n) for n in range(3)])
    p = ctx.Process(target=job, args=("db", 1))
    p.start()
