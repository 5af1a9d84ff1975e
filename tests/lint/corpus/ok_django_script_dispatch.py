"""The fix: close Django's connections before the executor forks; each worker opens its own."""
import sys
from concurrent.futures import ProcessPoolExecutor

import django
from django.db import connections


class Runner:
    def command(self, log):
        log.result = "ran"
        log.save()

    def upload(self, log):
        log.result = "uploaded"
        log.save()


if __name__ == "__main__":
    django.setup()
    from monitor import models

    task = models.Task.objects.get(id=sys.argv[1])
    logs = list(task.logs.all())
    runner = Runner()
    connections.close_all()
    pool = ProcessPoolExecutor(4)
    for log in logs:
        pool.submit(getattr(runner, sys.argv[2]), log)
    pool.shutdown(wait=True)
