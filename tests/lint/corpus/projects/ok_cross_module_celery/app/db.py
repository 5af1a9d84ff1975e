"""Safe twin: the module connects per process, on first use, which happens in the pool child."""
import psycopg2

_conn = None


def get_conn():
    global _conn
    if _conn is None:
        _conn = psycopg2.connect("dbname=app")
    return _conn


def save(row):
    get_conn().cursor().execute("insert into t values (%s)", (row,))
