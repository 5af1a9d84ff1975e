from celery import shared_task

from media.models import AudioFile
from media.services import purge_failed


@shared_task
def process_audio(name):
    doc = AudioFile.objects(name=name).first()
    doc.status = "done"
    doc.save()


@shared_task
def cleanup():
    purge_failed()
