"""scoped_session(sessionmaker(bind=engine)) at import; a Process target uses the registry."""
import multiprocessing

from sqlalchemy import create_engine, text
from sqlalchemy.orm import scoped_session, sessionmaker

engine = create_engine("mysql+pymysql://app@db/app")
db_session = scoped_session(sessionmaker(bind=engine))


def child():
    db_session.execute(text("select 1"))  # expect: FS101 "sqlalchemy.create_engine() made at line 7"


if __name__ == "__main__":
    db_session.execute(text("select 1"))
    multiprocessing.Process(target=child).start()
