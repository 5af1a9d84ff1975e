"""@shared_task calling a helper that calls another helper using the global connection."""
import mysql.connector
from celery import shared_task

cnx = mysql.connector.connect(user="app", host="db")


def _cursor():
    return cnx.cursor()  # expect: FS104


def save(v):
    cur = _cursor()
    cur.execute("insert into t values (%s)", (v,))


@shared_task(bind=True)
def store(self, v):
    save(v)
