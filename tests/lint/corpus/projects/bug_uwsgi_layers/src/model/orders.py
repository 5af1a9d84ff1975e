"""A model layer: reaches the connection through the db module's getter."""
from model.db import get_conn


class Orders:
    @staticmethod
    def count():
        with get_conn().cursor() as cur:  # expect: FS101 "returned by db.get_conn()"
            cur.execute("select count(*) from orders")
            return cur.fetchone()[0]
