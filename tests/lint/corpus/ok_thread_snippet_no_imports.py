"""Safe: the same thread program with the connection made in each child."""


def insert(name):
    conn = psycopg2.connect("dbname=app")  # noqa: F821
    conn.cursor().execute("INSERT INTO users VALUES (%s)", (name,))
    conn.commit()


if __name__ == "__main__":
    for _ in range(4):
        mp.Process(target=insert, args=("bob",)).start()  # noqa: F821
