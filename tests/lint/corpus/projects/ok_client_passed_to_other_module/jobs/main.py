"""The fix: the parent hands over the DSN; each child connects."""
import psycopg2

from jobs import workers

DSN = "dbname=app"


def main():
    conn = psycopg2.connect(DSN)
    conn.cursor().execute("select 1")
    workers.run(DSN, 4)


if __name__ == "__main__":
    main()
