"""``run()`` queries before it starts the worker processes: each worker's ``task.save()`` then goes
over the Django connection the parent opened."""
from multiprocessing import JoinableQueue, Process

from analyses.models import Analysis
from django.conf import settings


class AnalysisRunner(Process):
    DONE = "done"

    def __init__(self, tasks):
        Process.__init__(self)
        self.tasks = tasks

    def run(self):
        while True:
            task = self.tasks.get()
            if task == AnalysisRunner.DONE:
                break
            task.state = "C"
            task.save()  # expect: FS101 "Django connection" "task.save()"


class AnalysisManager:
    def __init__(self):
        self.tasks = JoinableQueue()
        self.workers = [AnalysisRunner(self.tasks) for _ in range(settings.ANALYSIS_WORKERS)]

    def workers_start(self):
        for worker in self.workers:
            worker.start()

    def run(self):
        stale = Analysis.objects.filter(state="P").count()
        self.workers_start()
        for task in Analysis.objects.filter(state="W").order_by("id"):
            self.tasks.put(task)
        return stale
