# ruff: noqa: F821
"""Safe twin of the snippet without imports: the child makes its own pykafka client and producer
in ``run()``; the parent hands it only the broker address."""


class Test(Process):
    def __init__(self, hosts):
        super().__init__()
        self.hosts = hosts

    def run(self):
        client = KafkaClient(hosts=self.hosts)
        producer = client.topics["test"].get_sync_producer()
        producer.produce(b"test 2")


test = Test("127.0.0.1:9092")
test.start()
