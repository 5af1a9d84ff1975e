"""The fix: the worker runs the jobs in the test's own process (SimpleWorker forks nothing)."""
import django_rq
from django.test import TestCase
from reports.jobs import build_report
from reports.models import Report
from rq import SimpleWorker


class ReportJobTest(TestCase):
    def test_report_is_built(self):
        report = Report.objects.create(name="weekly")
        django_rq.get_queue("default").enqueue(build_report, report.pk)

        django_rq.get_worker(worker_class=SimpleWorker).work(burst=True)
        self.assertTrue(Report.objects.get(pk=report.pk).built)
