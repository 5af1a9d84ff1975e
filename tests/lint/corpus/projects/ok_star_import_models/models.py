# ruff: noqa: F403, F405  (star imports are the shape under test)
from peewee import *

db = MySQLDatabase("feeds", host="db")


class Base(Model):
    class Meta:
        database = db


class Feed(Base):
    url = CharField()


def connect():
    db.connect()
