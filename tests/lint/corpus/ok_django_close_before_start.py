"""Safe twin: the Process is made first and Django's connections are closed before ``start()``,
which is where it forks."""
from multiprocessing import Process

from app.models import FileType, Track
from django import db


def scan(paths):
    for path in paths:
        Track.objects.create(path=path)


def scan_library(paths):
    mp3 = FileType.objects.get(name="mp3")
    worker = Process(target=scan, args=([p for p in paths if p.endswith(mp3.suffix)],))
    db.connections.close_all()
    worker.start()
