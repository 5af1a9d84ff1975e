"""A Django test queries the ORM, then runs django-rq's default worker in its own process: the worker
forks a work horse per job, and each horse inherits (and its jobs query over) the test's connection."""
import django_rq
from django.test import TestCase
from reports.jobs import build_report
from reports.models import Report


class ReportJobTest(TestCase):
    def test_report_is_built(self):
        report = Report.objects.create(name="weekly")  # expect: FS104 "RQ worker started at line 14"
        django_rq.get_queue("default").enqueue(build_report, report.pk)

        django_rq.get_worker().work(burst=True)
        self.assertTrue(Report.objects.get(pk=report.pk).built)
