"""A custom RQ worker (``manage.py rqworker --worker-class proj.worker.ScanWorker``): its
maintenance runs in the worker process, between the jobs it forks."""
from django.apps import apps
from rq.worker import Worker

scanner_app = apps.get_app_config("scanner")


class ScanWorker(Worker):
    def run_maintenance_tasks(self):
        super().run_maintenance_tasks()
        scanner_app.sync_runs()  # expect: FS104 "ScanWorker.run_maintenance_tasks()" "in execute_job()"
