"""The fix: the child opens its own connection and consumes on it."""
import multiprocessing

import pika


def consume(host):
    conn = pika.BlockingConnection(pika.ConnectionParameters(host))
    conn.channel().start_consuming()


class Client:
    def __init__(self, host):
        self.host = host
        self.conn = pika.BlockingConnection(pika.ConnectionParameters(host))
        self.channel = self.conn.channel()
        self.channel.exchange_declare(exchange="events", exchange_type="fanout")

    def start(self):
        consumer = multiprocessing.Process(target=consume, args=(self.host,))
        consumer.start()
        self.channel.basic_publish(exchange="events", routing_key="", body=b"hello")
