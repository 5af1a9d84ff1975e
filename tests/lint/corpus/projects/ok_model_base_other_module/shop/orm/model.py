"""The fix: the base class connects in each worker process (``worker_process_init``)."""
import pymysql
from celery.signals import worker_process_init


class Model:
    db = None
    table = ""

    @classmethod
    def get(cls, **where):
        with cls.db.cursor() as cursor:
            cursor.execute(f"SELECT * FROM {cls.table} WHERE id = %s", (where["id"],))
            return cursor.fetchone()


@worker_process_init.connect
def connect(**_):
    Model.db = pymysql.connect(host="db", user="shop", database="shop")
