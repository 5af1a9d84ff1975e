"""sqlsoup wraps a SQLAlchemy engine: the daemon's loop queries through it, then forks a child per
chain, and the child queries through the pooled connection the parent checked in."""
import os
import time

import sqlsoup

db = sqlsoup.SQLSoup("postgresql://estation@localhost/estationdb")


def run_chain(chain_id):
    return db.products.filter_by(process_id=chain_id).all()  # expect: FS105 "sqlsoup.SQLSoup()"


def loop():
    while True:
        for chain in db.processing.filter_by(activated=True).all():
            if os.fork() == 0:
                run_chain(chain.process_id)
                os._exit(0)
        time.sleep(5)


if __name__ == "__main__":
    loop()
