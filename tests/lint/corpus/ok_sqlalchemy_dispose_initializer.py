"""Safe twin: SQLAlchemy's documented fork recipe, dispose(close=False) in each child."""
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
        pool.map(work, range(4))
