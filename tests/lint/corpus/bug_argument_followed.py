"""The session reaches the fork as an argument, two calls down: main() -> run(session) ->
Process(args=(session,))."""
import multiprocessing

from sqlalchemy import create_engine
from sqlalchemy.orm import sessionmaker

engine = create_engine("postgresql://db/app")


def work(session, n):
    session.execute(f"select {n}")


def run(session, count):
    for n in range(count):
        args = (session, n)
        multiprocessing.Process(target=work, args=args).start()  # expect: FS102 "passed to run() at line 24"


def main():
    session = sessionmaker(bind=engine)()
    session.execute("select 1")
    run(session, 4)
