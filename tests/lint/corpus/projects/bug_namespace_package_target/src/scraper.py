from src import db


def catch_product(link):
    conn = db.get_connection()  # expect: FS101 "src/db.py:3" "Process(target=...) at line 10 in main"
    conn.execute("UPDATE links SET done = 1 WHERE id = ?", (link[0],))
    conn.commit()
