from sqlalchemy import create_engine
from sqlalchemy.orm import sessionmaker


class SqlHelper:
    def __init__(self):
        self.engine = create_engine("mysql://db/proxies")
        self.session = sessionmaker(bind=self.engine)()

    def insert(self, row):
        self.session.add(row)
        self.session.commit()
