"""The processor is made in the parent, in the ``Process(...)`` call itself; its ``run`` runs in each
child on the parent's object, so every child uses the connection its ``__init__`` opened."""
import multiprocessing

from processors.alarm import AlarmProcessor


def main():
    processes = []
    for _ in range(4):
        processes.append(multiprocessing.Process(
            target=AlarmProcessor("db", "monitor").run))
    for process in processes:
        process.start()


if __name__ == "__main__":
    main()
