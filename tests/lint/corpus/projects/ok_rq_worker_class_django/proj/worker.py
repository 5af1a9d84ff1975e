"""The fix: the worker closes its Django connections before forking each job's work horse, so the
horse opens its own."""
from django import db
from django.apps import apps
from rq.worker import Worker

scanner_app = apps.get_app_config("scanner")


class ScanWorker(Worker):
    def run_maintenance_tasks(self):
        super().run_maintenance_tasks()
        scanner_app.sync_runs()

    def execute_job(self, job, queue):
        db.connections.close_all()
        super().execute_job(job, queue)
