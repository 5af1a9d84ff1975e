# ruff: noqa: F821
"""A snippet from an issue thread, its imports left out: ``KafkaClient`` is pykafka's (no other
library has a client of that name) and ``Process`` is multiprocessing's. The producer the parent
made on its brokers is handed to the child."""

client = KafkaClient(hosts="127.0.0.1:9092")
producer = client.topics["test"].get_sync_producer()


class Test(Process):
    def __init__(self, producer):
        super().__init__()
        self.producer = producer

    def run(self):
        self.producer.produce(b"test 2")  # expect: FS102 "pykafka.KafkaClient()" "get_sync_producer()"


test = Test(producer)
test.start()
