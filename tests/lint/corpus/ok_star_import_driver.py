"""The fix: each task connects (the star import still brings ``pymysql``)."""
from celery import shared_task
from dashboard.initdb import *  # noqa: F403


@shared_task
def update_ticks(rows):
    con = pymysql.connect(db="quant", user="quant", host="db")  # noqa: F405
    with con.cursor() as cur:
        cur.executemany("INSERT INTO ticks VALUES (%s, %s)", rows)
    con.commit()
    con.close()
