"""Safe twin: the object only keeps parameters; the channel is opened in the child, on first use."""
from multiprocessing import Pool

import pika


class Publisher:
    def __init__(self, url):
        self.url = url
        self.channel = None

    def publish(self, body):
        if self.channel is None:
            self.channel = pika.BlockingConnection(pika.URLParameters(self.url)).channel()
        self.channel.basic_publish("", "q", body)


def main(bodies):
    publisher = Publisher("amqp://localhost")
    with Pool(3) as pool:
        pool.map(publisher.publish, bodies)
