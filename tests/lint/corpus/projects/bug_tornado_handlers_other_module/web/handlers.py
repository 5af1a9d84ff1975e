import psycopg2
import tornado.web

conn = psycopg2.connect("dbname=shop")


class Orders(tornado.web.RequestHandler):
    def get(self):
        with conn.cursor() as cur:  # expect: FS101 "fork_processes() at line 7"
            cur.execute("SELECT count(*) FROM orders")
            self.write({"n": cur.fetchone()[0]})
