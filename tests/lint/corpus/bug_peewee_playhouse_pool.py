"""playhouse's databases are peewee databases too: the parent connects a pooled SQLite database on a
file and creates the tables, then a Process child queries over the parent's connection."""
from multiprocessing import Process

from peewee import CharField, Model
from playhouse.pool import PooledSqliteExtDatabase

db = PooledSqliteExtDatabase(None, max_connections=32)


class FileModel(Model):
    path = CharField()

    class Meta:
        database = db


def scan():
    for row in FileModel.select():  # expect: FS101 "playhouse.pool.PooledSqliteExtDatabase()"
        print(row.path)


if __name__ == "__main__":
    db.init("/var/lib/scanner/files.db")
    db.connect()
    db.create_tables([FileModel], safe=True)
    Process(target=scan).start()
