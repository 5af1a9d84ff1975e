# ruff: noqa: F821
"""Code cut from a question: it imports SQLAlchemy but leaves out ``import multiprocessing``. The
unbound ``multiprocessing.Process`` still means the standard module, and the child's ``init()``
rebinds the engine and session the parent used, dropping them for its collector to close."""
from sqlalchemy import create_engine
from sqlalchemy.orm import sessionmaker

engine = None
session = None


def init():
    global engine, session
    engine = create_engine("postgresql://app@db/app")  # expect: FS101 "is rebound in multiprocessing.Process"
    session = sessionmaker(bind=engine)()


def target(row_id):
    init()
    session.execute("UPDATE t SET n = n + 1 WHERE id = :i", {"i": row_id})  # expect: FS101 "line 15"
    session.commit()


def main():
    init()
    session.execute("INSERT INTO t (id, n) VALUES (1, 0)")
    session.commit()
    p = multiprocessing.Process(target=target, args=(1,))
    p.start()
    p.join()


if __name__ == "__main__":
    main()
