"""The fix: the workers start with spawn, so each imports py2neo afresh and its ``Graph(url)``
is its own; the parent's shared instance stays in the parent."""
import multiprocessing

from py2neo import Graph

URL = "bolt://localhost:7687"


class Worker(multiprocessing.Process):
    def run(self):
        graph = Graph(URL)
        tx = graph.begin()
        tx.run("CREATE (n:Thing)")
        tx.commit()


if __name__ == "__main__":
    multiprocessing.set_start_method("spawn")
    graph = Graph(URL)
    count = graph.run("MATCH (n:Thing) RETURN count(n) AS cnt").data()[0]["cnt"]
    workers = [Worker() for _ in range(2)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
