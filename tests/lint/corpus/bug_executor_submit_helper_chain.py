"""ProcessPoolExecutor.submit of a function reaching the connection two helpers down."""
import sqlite3
from concurrent.futures import ProcessPoolExecutor

conn = sqlite3.connect("app.db")


def _cursor():
    return conn.cursor()  # expect: FS101 "returned by _cursor()" "fetch() at line 13" "job() at line 17"


def fetch(key):
    return _cursor().execute("select v from kv where k = ?", (key,)).fetchone()


def job(key):
    return fetch(key)


def main(keys):
    with ProcessPoolExecutor() as ex:
        return [ex.submit(job, k).result() for k in keys]
