"""The fix (fonduer's): the session is made in ``run()``, in the child."""
from multiprocessing import Process

from fon.meta import new_sessionmaker


class UDF(Process):
    DONE = "done"

    def __init__(self, queue):
        super().__init__()
        self.queue = queue
        self.session = None

    def run(self):
        self.session = new_sessionmaker()()
        while (doc := self.queue.get()) != UDF.DONE:
            self.session.add(doc)
        self.session.commit()


class Runner:
    def __init__(self, udf_class, workers):
        self.udfs = [udf_class(queue=None) for _ in range(workers)]

    def apply(self):
        for udf in self.udfs:
            udf.start()
