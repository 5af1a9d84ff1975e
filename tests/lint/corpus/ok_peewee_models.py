"""Safe twin: each worker opens the database for itself before any query (db.connect() in the child;
the parent closed its own before forking)."""
from multiprocessing import Pool

from peewee import CharField, Model, MySQLDatabase

db = MySQLDatabase("feeds", host="db")


class Base(Model):
    class Meta:
        database = db


class Feed(Base):
    url = CharField()


def refresh(feed):
    db.connect()
    Feed.update(title="x").where(Feed.url == feed.url).execute()
    db.close()


def main():
    feeds = list(Feed.select())
    db.close()
    with Pool(4) as pool:
        pool.map(refresh, feeds)
