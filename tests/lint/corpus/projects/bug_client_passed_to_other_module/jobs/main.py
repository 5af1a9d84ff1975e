"""The parent connects and hands the connection to another module's helper, which forks with it."""
import psycopg2

from jobs import workers


def main():
    conn = psycopg2.connect("dbname=app")
    conn.cursor().execute("select 1")
    workers.run(conn, 4)


if __name__ == "__main__":
    main()
