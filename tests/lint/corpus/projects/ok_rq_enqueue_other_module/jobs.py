"""Safe twin: the job connects itself."""
import psycopg


def count_words(url):
    with psycopg.connect("dbname=app") as conn:
        conn.execute("insert into hits values (%s)", (url,))
