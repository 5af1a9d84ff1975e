"""Safe twin: the task opens (and closes) its own connection."""
import mysql.connector
from celery import shared_task


def save(cnx, v):
    cnx.cursor().execute("insert into t values (%s)", (v,))


@shared_task(bind=True)
def store(self, v):
    cnx = mysql.connector.connect(user="app", host="db")
    try:
        save(cnx, v)
    finally:
        cnx.close()
