"""Each UDF process is built in the parent: its ``__init__`` makes the engine and session there (the
local ``Session`` hides the imported class), and ``run()`` in the child uses that session."""
from multiprocessing import Process

from sqlalchemy.orm import Session  # noqa: F401  (the type; shadowed below)

from fon.meta import new_sessionmaker


class UDF(Process):
    DONE = "done"

    def __init__(self, queue):
        super().__init__()
        self.queue = queue
        Session = new_sessionmaker()  # noqa: F811
        self.session = Session()

    def run(self):
        while (doc := self.queue.get()) != UDF.DONE:
            self.session.add(doc)  # expect: FS103 "self.session" "made in UDF.__init__, in the parent"
        self.session.commit()  # expect: FS103 "new_sessionmaker()"


class Runner:
    def __init__(self, udf_class, workers):
        self.udfs = [udf_class(queue=None) for _ in range(workers)]

    def apply(self):
        for udf in self.udfs:
            udf.start()
