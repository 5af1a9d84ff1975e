"""``pymysql`` comes in through a star import of a module outside the program; the connection made at
import is the Celery worker's, shared by its pool children."""
from celery import shared_task
from dashboard.initdb import *  # noqa: F403

con = pymysql.connect(db="quant", user="quant", host="db")  # noqa: F405
cur = con.cursor()


@shared_task
def update_ticks(rows):
    cur.executemany("INSERT INTO ticks VALUES (%s, %s)", rows)  # expect: FS104 "'cur'" "pymysql.connect()"
    con.commit()  # expect: FS104 "MySQL connection 'con'"
