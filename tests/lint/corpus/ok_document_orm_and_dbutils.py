"""The fix: each worker connects mongoengine and makes its DBUtils pool itself (an initializer)."""
import multiprocessing

import pymysql
from dbutils.pooled_db import PooledDB
from mongoengine import Document, StringField, connect

pool = None


class Tweet(Document):
    text = StringField()


def setup():
    global pool
    connect("tweets")
    pool = PooledDB(pymysql, 1, 10, host="db", user="app", database="prices")


def replies(tweet_id):
    return list(Tweet.objects(in_reply_to=tweet_id))


def store(price):
    conn = pool.connection()
    conn.cursor().execute("insert into prices values (%s)", (price,))
    conn.commit()


if __name__ == "__main__":
    with multiprocessing.Pool(4, initializer=setup) as workers:
        workers.map(replies, ["a", "b"])
        workers.map(store, [1.0, 2.0])
