"""Starts the consumer processes; the target is a closure over the caller's connection."""
import importlib
from multiprocessing import Process


def start_module_processes(conn, module_name, count=4):
    processes = []
    for _ in range(count):
        worker_cls = importlib.import_module(f"app.{module_name}").Worker

        def worker(cls):
            cls(conn).run()

        process = Process(target=worker, args=(worker_cls,))
        process.start()
        processes.append(process)
    return processes
