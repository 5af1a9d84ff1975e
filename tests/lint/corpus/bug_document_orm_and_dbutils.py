"""mongoengine's connect() in the parent is the default client every Document query uses, in the
children too; a DBUtils pool opens its cached connections when made and hands them out."""
import multiprocessing

import pymysql
from dbutils.pooled_db import PooledDB
from mongoengine import Document, StringField, connect


class Tweet(Document):
    text = StringField()


def replies(tweet_id):
    return list(Tweet.objects(in_reply_to=tweet_id))  # expect: FS101 "mongoengine.connect() made at line 25"


def store(price):
    conn = pool.connection()  # expect: FS101 "dbutils.pooled_db.PooledDB() made at line 27"
    conn.cursor().execute("insert into prices values (%s)", (price,))
    conn.commit()


if __name__ == "__main__":
    connect("tweets")
    ids = [t.id for t in Tweet.objects.limit(10)]
    pool = PooledDB(pymysql, 1, 10, host="db", user="app", database="prices")
    with multiprocessing.Pool(4) as workers:
        workers.map(replies, ids)
        workers.map(store, [1.0, 2.0])
