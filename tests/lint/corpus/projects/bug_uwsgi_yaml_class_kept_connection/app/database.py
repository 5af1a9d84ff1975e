"""A classmethod keeps the connection on the class: create_app() calls it in the uWSGI master."""
from psycopg2 import connect


class Session:
    db = None

    @classmethod
    def init_app(cls, app):
        cls.db = connect("dbname=app")

    @classmethod
    def query(cls, sql):
        with cls.db.cursor() as cur:
            cur.execute(sql)
            return cur.fetchall()
