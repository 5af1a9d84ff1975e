"""Safe: the lazy client is only used by the children (each connects on first use), and Django's
close_old_connections() right before the fork closes the parent's connection (CONN_MAX_AGE 0)."""
import multiprocessing
from concurrent.futures import ProcessPoolExecutor

import pymongo
from chem.models import Reaction
from django import db

client = pymongo.MongoClient("mongodb://db:27017", connect=False)
chapters = client["library"]["chapters"]


def fetch_chapters(book_id):
    chapters.insert_one({"book": book_id})


def resave(start):
    for reaction in Reaction.objects.all()[start:start + 100]:
        reaction.save()


def main():
    with ProcessPoolExecutor() as executor:
        executor.map(fetch_chapters, range(10))
    total = Reaction.objects.all().count()
    for start in range(0, total, 100):
        db.close_old_connections()
        multiprocessing.Process(target=resave, args=(start,)).start()
