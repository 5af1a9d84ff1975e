"""Process classes that keep what their constructor is given; another module gives them a client."""
import multiprocessing as mp


class Saver(mp.Process):
    def __init__(self, db, queue):
        super().__init__()
        self.db = db
        self.queue = queue

    def run(self):
        for item in iter(self.queue.get, None):
            self.db.items.insert_one(item)  # expect: FS102 "passed to Saver() by main at line 10"
