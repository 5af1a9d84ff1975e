"""A Django script with two pools bound to one name (each forks where it is made), the ``multiprocess``
package's Pool, and a model's own method called in the child: all go through the connection the
parent's first query opened."""
import multiprocessing

import django
from core.models import Counter, Term
from multiprocess import Pool


def add_term(title):
    return Term.objects.get_or_create(title=title)[0].pk  # expect: FS101 "Term.objects" "line 24"


def next_value(n):
    return Counter.get_next("jobs")  # expect: FS101 "Counter.get_next('jobs')"


def main():
    django.setup()
    pool = multiprocessing.Pool(2)
    pool.map(print, [1])
    pool.close()
    Counter.objects.filter(name="jobs").delete()
    pool = Pool(processes=8)
    pool.map(add_term, ["a", "b"])
    pool.map(next_value, range(4))
