"""Safe twin: the child first lets go of the parent's pool without closing it (SQLAlchemy's
dispose(close=False)), then makes its own engine."""
import multiprocessing

from sqlalchemy import create_engine

engine = None


def init():
    global engine
    engine = create_engine("postgresql://db/app")


def target(n):
    engine.dispose(close=False)
    init()
    with engine.connect() as conn:
        conn.execute(f"select {n}")


def main():
    init()
    with engine.connect() as conn:
        conn.execute("select 1")
    multiprocessing.Process(target=target, args=(2,)).start()
