"""Safe twin (after #198): each Database makes and connects its own cloudant client, and the
consumer makes its Database in the child, after the fork."""
from multiprocessing import Process

from cloudant.client import CouchDB


class Database:
    def __init__(self):
        self.client = CouchDB("admin", "secret", url="https://couch.example")
        self.client.connect()

    def disable_trigger(self, name):
        doc = self.client["triggers"][name]
        doc["status"] = "disabled"
        doc.save()


class ConsumerProcess(Process):
    def __init__(self, trigger):
        Process.__init__(self)
        self.trigger = trigger

    def run(self):
        Database().disable_trigger(self.trigger)


if __name__ == "__main__":
    ConsumerProcess("feed-1").start()
