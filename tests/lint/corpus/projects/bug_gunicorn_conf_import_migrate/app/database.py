import os

from sqlmodel import Session, SQLModel, create_engine, select

from app.models import Setting

engine = create_engine(os.environ["DATABASE_URL"])


def create_db_and_tables():
    SQLModel.metadata.create_all(engine)
    with Session(engine) as session:
        if session.exec(select(Setting)).first() is None:
            session.add(Setting(name="version", value="1"))
            session.commit()
