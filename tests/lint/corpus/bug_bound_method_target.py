"""A bound method of an object made in the parent is the pool's function: its self.client is shared."""
from multiprocessing import Pool

import pika


class Publisher:
    def __init__(self):
        self.connection = pika.BlockingConnection()
        self.channel = self.connection.channel()

    def publish(self, body):
        self.channel.basic_publish("", "q", body)  # expect: FS101 "pika.BlockingConnection() made at line 9"


def main(bodies):
    publisher = Publisher()
    with Pool(3) as pool:
        pool.map(publisher.publish, bodies)
