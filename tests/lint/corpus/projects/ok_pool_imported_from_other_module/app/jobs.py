"""Safe: the worker given to the other module's pool connects itself."""
import psycopg2

from app.drivers import executor


def run(name):
    with psycopg2.connect("dbname=app") as conn:
        conn.cursor().execute("INSERT INTO runs VALUES (%s)", [name])


def schedule(names):
    for name in names:
        executor.submit(run, name)
