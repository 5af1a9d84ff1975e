"""A daemon probes the database with transaction.atomic(), which opens Django's connection, then
forks a run process; the run object the child is given closes the inherited connection before it
starts its pool, and that close sends the goodbye over the parent's socket."""
import multiprocessing

from django.db import connection, transaction


class MonitorRun:
    def __init__(self, name):
        self.name = name

    def start(self):
        self.prepare_workers()
        return self.name

    def prepare_workers(self):
        connection.close()  # expect: FS101 "called in start()" "called in main_worker()"


def main_worker(run):
    run.start()


def main():
    with transaction.atomic():
        pass
    rd = MonitorRun("monitor")
    p = multiprocessing.Process(target=main_worker, args=(rd,))
    p.start()
    p.join()


if __name__ == "__main__":
    main()
