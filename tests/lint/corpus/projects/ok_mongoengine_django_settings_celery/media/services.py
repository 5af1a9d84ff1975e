"""Helpers the views and the tasks share: they query the documents."""
from media.models import AudioFile


def purge_failed():
    AudioFile.objects(status="failed").delete()
