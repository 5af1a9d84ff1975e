"""The fix: Django's connections are closed after the parent's query, before the second pool forks;
the first pool forked before any query."""
import multiprocessing

import django
from core.models import Counter, Term
from django.db import connections
from multiprocess import Pool


def add_term(title):
    return Term.objects.get_or_create(title=title)[0].pk


def next_value(n):
    return Counter.get_next("jobs")


def main():
    django.setup()
    pool = multiprocessing.Pool(2)
    pool.map(add_term, ["x"])
    pool.close()
    Counter.objects.filter(name="jobs").delete()
    connections.close_all()
    pool = Pool(processes=8)
    pool.map(add_term, ["a", "b"])
    pool.map(next_value, range(4))
