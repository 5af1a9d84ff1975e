"""A Django script queries under ``__main__`` (the connection opens), then an executor runs one of
the runner's methods, picked by name, and each saves a model instance through that connection."""
import sys
from concurrent.futures import ProcessPoolExecutor

import django


class Runner:
    def command(self, log):
        log.result = "ran"
        log.save()  # expect: FS101 "Django connection" "log.save()" "at module level"

    def upload(self, log):
        log.result = "uploaded"
        log.save()  # expect: FS101 "Django connection" "log.save()"


if __name__ == "__main__":
    django.setup()
    from monitor import models

    task = models.Task.objects.get(id=sys.argv[1])
    runner = Runner()
    pool = ProcessPoolExecutor(4)
    for log in task.logs.all():
        pool.submit(getattr(runner, sys.argv[2]), log)
    pool.shutdown(wait=True)
