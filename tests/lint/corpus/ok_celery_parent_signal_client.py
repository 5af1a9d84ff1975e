"""The fix: connect in ``worker_process_init``, which runs in each pool child after the fork."""
import psycopg2
from celery import Celery
from celery.signals import worker_init, worker_process_init
from pymongo import MongoClient

app = Celery("jobs", broker="redis://broker")
mongo = None
pg = None


@worker_init.connect
def announce(**kwargs):
    print("worker starting")


@worker_process_init.connect
def open_clients(**kwargs):
    global mongo, pg
    mongo = MongoClient("mongodb://db")
    pg = psycopg2.connect("dbname=jobs")


@app.task
def record(event):
    mongo.events.log.insert_one(event)
    with pg.cursor() as cur:
        cur.execute("INSERT INTO events VALUES (%s)", (event["id"],))
