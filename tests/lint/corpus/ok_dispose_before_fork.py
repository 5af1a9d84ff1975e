"""Safe twin: the parent empties the engine's pool right before forking; children open their own."""
import multiprocessing

from sqlalchemy import create_engine, text
from sqlalchemy.orm import scoped_session, sessionmaker

engine = create_engine("mysql+pymysql://app@db/app")
db_session = scoped_session(sessionmaker(bind=engine))


def child():
    db_session.execute(text("select 1"))


def main():
    db_session.execute(text("select 1"))
    db_session.remove()
    engine.dispose()
    multiprocessing.Process(target=child).start()


if __name__ == "__main__":
    main()
