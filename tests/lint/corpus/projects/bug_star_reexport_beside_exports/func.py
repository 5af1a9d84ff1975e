"""A helper module with clients of its own that also re-exports mark's names by a star import."""
import sqlite3

conn = sqlite3.connect("wiki.db")
curs = conn.cursor()


def count():
    curs.execute("SELECT count(*) FROM data")
    return curs.fetchone()[0]


from mark import *  # noqa: E402, F403
