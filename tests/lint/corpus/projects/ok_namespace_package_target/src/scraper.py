import sqlite3


def catch_product(link):
    conn = sqlite3.connect("./data/links.db")
    conn.execute("UPDATE links SET done = 1 WHERE id = ?", (link[0],))
    conn.commit()
