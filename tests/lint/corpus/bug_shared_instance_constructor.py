"""py2neo 2020 keeps one ``Graph`` per profile: the worker's own ``Graph(url)`` hands back the
instance the parent made and queried, and the children begin transactions on its pooled Bolt
connection (py2neo#790, #857)."""
import multiprocessing

from py2neo import Graph

URL = "bolt://localhost:7687"


class Worker(multiprocessing.Process):
    def run(self):
        graph = Graph(URL)  # expect: FS101 "made at line 19" "the child's Graph() is the parent's"
        tx = graph.begin()
        tx.run("CREATE (n:Thing)")
        tx.commit()


graph = Graph(URL)
count = graph.run("MATCH (n:Thing) RETURN count(n) AS cnt").data()[0]["cnt"]
workers = [Worker() for _ in range(2)]
for worker in workers:
    worker.start()
for worker in workers:
    worker.join()
