"""Safe twin: the parent uses its engine, each pool worker opens its own psycopg2 connection from the
engine's URL (only the description crosses the fork)."""
import multiprocessing

import pandas as pd
import psycopg2
from sqlalchemy import create_engine, text

engine = create_engine("postgresql://app@db/app")


def load(agency):
    conn = psycopg2.connect(engine.url.render_as_string(hide_password=False))
    with conn, conn.cursor() as cur:
        cur.execute("insert into checks select * from staging where agency = %s", (agency,))


if __name__ == "__main__":
    with engine.begin() as parent_conn:
        parent_conn.execute(text("create table if not exists checks (agency text)"))
    agencies = pd.read_sql("select distinct agency from staging", engine)["agency"]
    with multiprocessing.Pool(4) as pool:
        pool.map(load, agencies)
