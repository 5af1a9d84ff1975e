"""Safe: the parent reads documents through its client and hands the workers plain rows (what a
cursor yields); each worker writes with a connection of its own."""
import multiprocessing

import pymongo
import pymysql


def insert(rows):
    with pymysql.connect(host="db", database="border") as conn:
        conn.cursor().executemany("insert into waits values (%s)", [(r["wait"],) for r in rows])


def main():
    client = pymongo.MongoClient()
    chunks = []
    for year in range(2007, 2017):
        rows = []
        for doc in client.border.data.find({"year": year}):
            rows.append(doc)
        chunks.append(rows)
    with multiprocessing.Pool(4) as pool:
        pool.map(insert, chunks)
