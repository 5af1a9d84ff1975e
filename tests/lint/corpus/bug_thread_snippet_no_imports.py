"""A program as posted in an issue thread, its imports left out: ``mp`` and ``psycopg2`` are the
usual modules. The parent's connection is used by every forked child."""

conn = psycopg2.connect("dbname=app")  # noqa: F821
conn.cursor().execute("SELECT 1")


def insert(name):
    conn.cursor().execute("INSERT INTO users VALUES (%s)", [name])  # expect: FS101 "made at line 4"
    conn.commit()


if __name__ == "__main__":
    for _ in range(4):
        mp.Process(target=insert, args=("bob",)).start()  # noqa: F821
