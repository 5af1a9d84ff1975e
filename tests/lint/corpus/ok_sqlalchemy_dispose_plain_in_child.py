"""Safe twin (SQLAlchemy's documented alternative): the child disposes the engine before its first use.
This closes the inherited sockets, so the parent does not use its pool after forking."""
import multiprocessing

from sqlalchemy import create_engine, text
from sqlalchemy.orm import sessionmaker

engine = create_engine("mysql+pymysql://app@db/app")
Session = sessionmaker(bind=engine)


def init():
    engine.dispose()


def work(n):
    with Session() as s:
        return s.execute(text("select :n"), {"n": n}).scalar()


if __name__ == "__main__":
    with Session() as s:
        s.execute(text("select 1"))
    with multiprocessing.Pool(2, initializer=init) as pool:
        pool.map(work, range(4))
