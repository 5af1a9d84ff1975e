from django.apps import AppConfig


class ScannerConfig(AppConfig):
    name = "scanner"

    def sync_runs(self):
        """Mark the runs whose RQ job died as failed."""
        for run in self.get_model("Run").objects.filter(status="running"):
            run.sync_with_job()
