# ruff: noqa: F403, F405  (the star imports are the shape under test)
import os
from functools import partial

from django.core.management.base import BaseCommand
from multiprocess import Pool
from textutils.db import *

from topics.models import *


class Command(BaseCommand):
    def add_arguments(self, parser):
        parser.add_argument("words", nargs="+")

    def handle(self, *args, **options):
        run_id = init_run()
        stat = RunStats.objects.get(pk=run_id)
        stat.process_id = os.getpid()
        stat.save()
        pool = Pool(processes=8)
        term_ids = pool.map(partial(add_features, run_id=run_id), options["words"])
        pool.terminate()
        self.stdout.write(f"{len(term_ids)} terms")
