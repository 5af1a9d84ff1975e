"""Safe twin: the children get the URL and open their own session."""
import multiprocessing

from sqlalchemy import create_engine
from sqlalchemy.orm import sessionmaker

URL = "postgresql://db/app"


def work(url, n):
    session = sessionmaker(bind=create_engine(url))()
    session.execute(f"select {n}")


def run(url, count):
    for n in range(count):
        args = (url, n)
        multiprocessing.Process(target=work, args=args).start()


def main():
    run(URL, 4)
