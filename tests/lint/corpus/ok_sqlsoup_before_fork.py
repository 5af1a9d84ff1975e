"""sqlsoup wraps a SQLAlchemy engine: the daemon's loop queries through it and forks a child per
chain, and the child makes a database of its own before it queries."""
import os
import time

import sqlsoup

db = sqlsoup.SQLSoup("postgresql://estation@localhost/estationdb")


def run_chain(chain_id):
    own = sqlsoup.SQLSoup("postgresql://estation@localhost/estationdb")
    return own.products.filter_by(process_id=chain_id).all()


def loop():
    while True:
        for chain in db.processing.filter_by(activated=True).all():
            if os.fork() == 0:
                run_chain(chain.process_id)
                os._exit(0)
        time.sleep(5)


if __name__ == "__main__":
    loop()
