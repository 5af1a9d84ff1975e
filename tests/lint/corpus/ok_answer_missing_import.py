# ruff: noqa: F821
"""The fix, still without ``import multiprocessing``: the child drops the inherited pool with
``dispose(close=False)`` before making its own, so nothing the parent opened is closed by it."""
from sqlalchemy import create_engine
from sqlalchemy.orm import sessionmaker

engine = create_engine("postgresql://app@db/app")
Session = sessionmaker(bind=engine)


def target(row_id):
    engine.dispose(close=False)
    session = Session()
    session.execute("UPDATE t SET n = n + 1 WHERE id = :i", {"i": row_id})
    session.commit()


def main():
    session = Session()
    session.execute("INSERT INTO t (id, n) VALUES (1, 0)")
    session.commit()
    p = multiprocessing.Process(target=target, args=(1,))
    p.start()
    p.join()


if __name__ == "__main__":
    main()
