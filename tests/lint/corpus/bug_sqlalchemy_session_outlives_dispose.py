"""Disposing the engine in the child renews its pool, not a session the parent has queried through:
that session keeps its connection checked out, and the child goes on using it. And a pool's workers
fork when the pool is made, so disposing the engine after ``Pool()`` is too late."""
import multiprocessing

import gipc
from sqlalchemy import create_engine, text
from sqlalchemy.orm import sessionmaker

engine = create_engine("postgresql://db/app")
stats = create_engine("postgresql://db/stats")
Session = sessionmaker(bind=engine)
session = Session()


def crawl(ids):
    engine.dispose()
    for n in ids:
        session.execute(text("insert into seen values(:n)"), dict(n=n))  # expect: FS101 "Session() at"
    session.commit()


def report(n):
    with stats.connect() as conn:  # expect: FS101 "SQLAlchemy engine 'stats'" "Pool.map at line 35"
        conn.execute(text("select :n"), {"n": n})


if __name__ == "__main__":
    ids = [n for n, in session.execute(text("select id from todo"))]
    gipc.start_process(target=crawl, args=(ids,))
    with stats.connect() as conn:
        conn.execute(text("select 1"))
    pool = multiprocessing.Pool(2)
    stats.dispose()
    pool.map(report, ids)
