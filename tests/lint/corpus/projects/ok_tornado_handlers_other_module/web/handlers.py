import psycopg2
import tornado.web

conn = None


def connect():
    """Called in each forked process."""
    global conn
    conn = psycopg2.connect("dbname=shop")


class Orders(tornado.web.RequestHandler):
    def get(self):
        with conn.cursor() as cur:
            cur.execute("SELECT count(*) FROM orders")
            self.write({"n": cur.fetchone()[0]})
