from celery import shared_task

from media.models import AudioFile
from media.services import purge_failed


@shared_task
def process_audio(name):
    doc = AudioFile.objects(name=name).first()  # expect: FS104 "settings.py:11" "AudioFile.objects"
    doc.status = "done"
    doc.save()


@shared_task
def cleanup():
    purge_failed()  # expect: FS104 "purge_failed(), which queries"
