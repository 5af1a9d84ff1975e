"""Bug twin: the parent uses its engine, and each pool worker takes a connection from the same pool
(the parent's sockets)."""
import multiprocessing

import pandas as pd
from sqlalchemy import create_engine, text

engine = create_engine("postgresql://app@db/app")


def load(agency):
    conn = engine.raw_connection()  # expect: FS101 "engine 'engine'"
    with conn, conn.cursor() as cur:
        cur.execute("insert into checks select * from staging where agency = %s", (agency,))


if __name__ == "__main__":
    with engine.begin() as parent_conn:
        parent_conn.execute(text("create table if not exists checks (agency text)"))
    agencies = pd.read_sql("select distinct agency from staging", engine)["agency"]
    with multiprocessing.Pool(4) as pool:
        pool.map(load, agencies)
