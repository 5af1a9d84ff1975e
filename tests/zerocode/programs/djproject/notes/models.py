import os

from django.db import models


class Note(models.Model):
    who = models.CharField(max_length=60)
    n = models.IntegerField()

    class Meta:
        app_label = "notes"
        db_table = os.environ.get("FS_DJANGO_TABLE", "notes_note")  # one table per test run
