"""A child that re-runs init() rebinds the global engine: the parent's engine is dropped in the child
and its garbage collector closes the pooled connection over the shared socket."""
import multiprocessing

from sqlalchemy import create_engine

engine = None


def init():
    global engine
    engine = create_engine("postgresql://db/app")  # expect: FS101 "is rebound" "garbage collector"


def target(n):
    init()
    with engine.connect() as conn:
        conn.execute(f"select {n}")


def main():
    init()
    with engine.connect() as conn:
        conn.execute("select 1")
    multiprocessing.Process(target=target, args=(2,)).start()
