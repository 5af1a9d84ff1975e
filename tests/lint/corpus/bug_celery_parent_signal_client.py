"""Celery's ``worker_init`` (and ``celeryd_init``) handlers run in the main worker process, before it
forks the pool: a client they connect is inherited by every pool child that runs a task."""
import psycopg2
from celery import Celery
from celery.signals import celeryd_init, worker_init
from pymongo import MongoClient

app = Celery("jobs", broker="redis://broker")
mongo = None
pg = None


@worker_init.connect
def open_mongo(**kwargs):
    global mongo
    mongo = MongoClient("mongodb://db")


def open_pg(**kwargs):
    global pg
    pg = psycopg2.connect("dbname=jobs")


celeryd_init.connect(open_pg)


@app.task
def record(event):
    mongo.events.log.insert_one(event)  # expect: FS104 "set by open_mongo(), a worker_init handler"
    with pg.cursor() as cur:  # expect: FS104 "a celeryd_init handler"
        cur.execute("INSERT INTO events VALUES (%s)", (event["id"],))
