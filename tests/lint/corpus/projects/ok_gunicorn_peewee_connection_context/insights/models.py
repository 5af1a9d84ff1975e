"""The peewee database: made at import, it connects on first use (or on db.connect())."""
import functools

import peewee
from playhouse.postgres_ext import PostgresqlExtDatabase

db = PostgresqlExtDatabase("robot", user="robot", host="db", autoconnect=False)


class Insight(peewee.Model):
    barcode = peewee.CharField()

    class Meta:
        database = db


def with_db(fn):
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        with db:
            return fn(*args, **kwargs)
    return wrapper


def run_migration():
    db.create_tables([Insight])
