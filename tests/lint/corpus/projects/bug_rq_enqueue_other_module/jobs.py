"""RQ job functions; the connection is made when the worker imports this module."""
import psycopg

conn = psycopg.connect("dbname=app")


def count_words(url):
    conn.execute("insert into hits values (%s)", (url,))  # expect: FS104 "RQ .enqueue at line 8 in enqueue"
