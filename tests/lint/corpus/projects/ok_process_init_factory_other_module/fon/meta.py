from sqlalchemy import create_engine
from sqlalchemy.orm import sessionmaker


def new_sessionmaker():
    engine = create_engine("postgresql://db/fonduer")
    engine.connect()  # checks the URL: the pool keeps this connection
    return sessionmaker(bind=engine)
