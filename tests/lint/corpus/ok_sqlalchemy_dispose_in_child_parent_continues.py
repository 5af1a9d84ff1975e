"""Safe twin: the child drops the inherited pool with dispose(close=False), which leaves the
parent's connections open, so the parent can go on using its engine after the pool."""
import multiprocessing

from sqlalchemy import create_engine, text
from sqlalchemy.orm import sessionmaker

engine = create_engine("mysql+pymysql://app@db/app")
Session = sessionmaker(bind=engine)


def init():
    engine.dispose(close=False)


def work(n):
    with Session() as s:
        return s.execute(text("select :n"), {"n": n}).scalar()


if __name__ == "__main__":
    with Session() as s:
        s.execute(text("select 1"))
    with multiprocessing.Pool(2, initializer=init) as pool:
        results = pool.map(work, range(4))
    with Session() as s:
        s.execute(text("insert into results values (:r)"), [{"r": r} for r in results])
        s.commit()
