from sqlalchemy import create_engine
from sqlalchemy.orm import sessionmaker

engine = create_engine('sqlite:///data/meta.db')
Session = sessionmaker(bind=engine)
