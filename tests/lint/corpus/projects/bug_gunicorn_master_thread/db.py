"""The app's two connection holders: an engine, and an object whose initialize() opens a pool."""
from psycopg2 import pool
from sqlalchemy import create_engine

engine = create_engine("postgresql://app@db/app")


class Database:
    def __init__(self):
        self._pool = None

    def initialize(self):
        self._pool = pool.ThreadedConnectionPool(1, 4, "dbname=app")

    def close(self):
        if self._pool is not None:
            self._pool.closeall()

    def execute(self, sql):
        conn = self._pool.getconn()
        try:
            with conn.cursor() as cur:
                cur.execute(sql)
        finally:
            self._pool.putconn(conn)


db = Database()
