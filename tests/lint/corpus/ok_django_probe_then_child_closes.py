"""Safe twin: the daemon never opens Django's connection before it forks, so the connection the
child closes before its pool was never opened; each process connects on its first query."""
import multiprocessing

from django.db import connection


class MonitorRun:
    def __init__(self, name):
        self.name = name

    def start(self):
        self.prepare_workers()
        return self.name

    def prepare_workers(self):
        connection.close()


def main_worker(run):
    run.start()


def main():
    rd = MonitorRun("monitor")
    p = multiprocessing.Process(target=main_worker, args=(rd,))
    p.start()
    p.join()


if __name__ == "__main__":
    main()
