"""Safe twin: the helper opens the connection; the executor's workers each open their own."""
import sqlite3
from concurrent.futures import ProcessPoolExecutor


def _cursor():
    return sqlite3.connect("app.db").cursor()


def fetch(key):
    return _cursor().execute("select v from kv where k = ?", (key,)).fetchone()


def job(key):
    return fetch(key)


def main(keys):
    with ProcessPoolExecutor() as ex:
        return [ex.submit(job, k).result() for k in keys]
