"""peewee models are bound to their database (class Meta: database = db, inherited by subclasses):
the parent queries, then pool workers save through the same connection."""
from multiprocessing import Pool

from peewee import CharField, Model, MySQLDatabase

db = MySQLDatabase("feeds", host="db")


class Base(Model):
    class Meta:
        database = db


class Feed(Base):
    url = CharField()


def refresh(feed):
    feed.title = "x"
    Feed.update(title="x").where(Feed.url == feed.url).execute()  # expect: FS101 "Feed.Meta.database"


def main():
    feeds = list(Feed.select())
    with Pool(4) as pool:
        pool.map(refresh, feeds)
