import sqlite3

conn = sqlite3.connect("wiki.db")
curs = conn.cursor()


def render(title):
    curs.execute("INSERT INTO back VALUES (?)", (title,))
    conn.commit()
