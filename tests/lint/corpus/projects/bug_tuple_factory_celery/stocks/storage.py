from sqlalchemy import MetaData, create_engine
from sqlalchemy.orm import sessionmaker

metadata = MetaData()


def create_engine_and_session_cls(url):
    engine = create_engine(url)
    return engine, sessionmaker(engine)


class StockStorage:
    def __init__(self, engine, session_cls):
        self.engine, self.session_cls = engine, session_cls

    def save(self, symbol):
        with self.session_cls() as session:
            session.execute("INSERT INTO stocks VALUES (:s)", {"s": symbol})
            session.commit()
