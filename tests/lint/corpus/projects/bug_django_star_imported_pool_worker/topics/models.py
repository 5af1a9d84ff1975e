from django.db import models


class Term(models.Model):
    title = models.CharField(max_length=200, unique=True)


class RunStats(models.Model):
    method = models.CharField(max_length=2)
    process_id = models.IntegerField(null=True)
