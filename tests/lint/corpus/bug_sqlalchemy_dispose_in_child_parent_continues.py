"""The child disposes the engine without close=False while the parent goes on using it: the child's
dispose closes the pooled connection the parent opened, over the shared socket, and the parent's
query after the pool finds its connection closed."""
import multiprocessing

from sqlalchemy import create_engine, text
from sqlalchemy.orm import sessionmaker

engine = create_engine("mysql+pymysql://app@db/app")
Session = sessionmaker(bind=engine)


def init():
    engine.dispose()  # expect: FS101 "without close=False" "again at line 27"


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
