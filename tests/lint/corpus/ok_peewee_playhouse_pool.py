"""The fix: the parent closes its connection before the fork; the child's first query opens its own."""
from multiprocessing import Process

from peewee import CharField, Model
from playhouse.pool import PooledSqliteExtDatabase

db = PooledSqliteExtDatabase(None, max_connections=32)


class FileModel(Model):
    path = CharField()

    class Meta:
        database = db


def scan():
    for row in FileModel.select():
        print(row.path)


if __name__ == "__main__":
    db.init("/var/lib/scanner/files.db")
    db.connect()
    db.create_tables([FileModel], safe=True)
    db.close()
    Process(target=scan).start()
