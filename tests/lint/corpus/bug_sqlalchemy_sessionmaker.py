"""A sessionmaker bound to a module-level engine: sessions in pool workers check out inherited sockets."""
import multiprocessing

from sqlalchemy import create_engine, text
from sqlalchemy.orm import sessionmaker

engine = create_engine("mysql+pymysql://app@db/app")
Session = sessionmaker(bind=engine)


def work(n):
    with Session() as s:  # expect: FS101 "sessionmaker(bind=engine) at line 8"
        return s.execute(text("select :n"), {"n": n}).scalar()


if __name__ == "__main__":
    with Session() as s:
        s.execute(text("select 1"))
    with multiprocessing.Pool(2) as pool:
        pool.map(work, range(4))
