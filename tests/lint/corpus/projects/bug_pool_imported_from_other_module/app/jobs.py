"""Work handed to the pool another module made: the worker runs with the parent's connection."""
from app.drivers import conn, executor


def run(name):
    conn.cursor().execute("INSERT INTO runs VALUES (%s)", [name])  # expect: FS101 "Executor.submit"


def schedule(names):
    for name in names:
        executor.submit(run, name)
