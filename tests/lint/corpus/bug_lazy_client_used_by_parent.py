"""A lazy client (``connect=False``) connects as soon as the parent uses it: the executor's workers,
started at the first submit, then share its sockets."""
from concurrent.futures import ProcessPoolExecutor

import pymongo

client = pymongo.MongoClient("mongodb://db:27017", connect=False)
books = client["library"]["books"]
chapters = client["library"]["chapters"]
executor = ProcessPoolExecutor()


def fetch_chapters(book_id):
    chapters.insert_one({"book": book_id})  # expect: FS101 "pymongo.MongoClient() made at line 7"


if __name__ == "__main__":
    for book in books.find({"done": False}):
        executor.submit(fetch_chapters, book["_id"])
