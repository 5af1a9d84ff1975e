"""The child runs the channel's own consuming loop: ``Process(target=self.channel.start_consuming)``
hands it the AMQP connection the parent opened in ``__init__`` and keeps publishing on."""
import multiprocessing as mp

import pika


class Client:
    def __init__(self, host):
        self.conn = pika.BlockingConnection(pika.ConnectionParameters(host))
        self.channel = self.conn.channel()
        self.channel.exchange_declare(exchange="events", exchange_type="fanout")

    def start(self):
        consumer = mp.Process(target=self.channel.start_consuming)  # expect: FS102 "start_consuming()"
        consumer.start()
        self.channel.basic_publish(exchange="events", routing_key="", body=b"hello")
