"""Bug twin (Apache OpenWhisk's Kafka provider before #198): the Database class body connects a
cloudant client at import, and a Process subclass keeps a Database as a class attribute, so the
forked consumer writes through the parent's logged-in HTTP session."""
from multiprocessing import Process

from cloudant.client import CouchDB


class Database:
    client = CouchDB("admin", "secret", url="https://couch.example")
    client.connect()

    def disable_trigger(self, name):
        doc = self.client["triggers"][name]
        doc["status"] = "disabled"
        doc.save()


class ConsumerProcess(Process):
    database = Database()

    def __init__(self, trigger):
        Process.__init__(self)
        self.trigger = trigger

    def run(self):
        self.database.disable_trigger(self.trigger)  # expect: FS103 "CouchDB client"


if __name__ == "__main__":
    ConsumerProcess("feed-1").start()
