"""The project's database module: one connection for the whole process, made at import."""
import psycopg2

conn = psycopg2.connect("dbname=app")


def get_conn():
    return conn


def save(row):
    conn.cursor().execute("insert into t values (%s)", (row,))
