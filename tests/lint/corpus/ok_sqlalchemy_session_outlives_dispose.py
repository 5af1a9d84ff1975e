"""The fix: the child disposes the engine and makes its own session; the parent disposes the engine
before it makes the pool."""
import multiprocessing

import gipc
from sqlalchemy import create_engine, text
from sqlalchemy.orm import sessionmaker

engine = create_engine("postgresql://db/app")
stats = create_engine("postgresql://db/stats")
Session = sessionmaker(bind=engine)


def crawl(ids):
    engine.dispose()
    with Session() as session:
        for n in ids:
            session.execute(text("insert into seen values (:n)"), {"n": n})
        session.commit()


def report(n):
    with stats.connect() as conn:
        conn.execute(text("select :n"), {"n": n})


if __name__ == "__main__":
    with Session() as session:
        ids = [n for n, in session.execute(text("select id from todo"))]
    gipc.start_process(target=crawl, args=(ids,))
    stats.dispose()
    pool = multiprocessing.Pool(2)
    pool.map(report, ids)
