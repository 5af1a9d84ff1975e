"""The Process is made, started, and only then are Django's connections closed: the child was forked
with the parent's open connection."""
from multiprocessing import Process

from app.models import FileType, Track
from django import db


def scan(paths):
    for path in paths:
        Track.objects.create(path=path)  # expect: FS101 "FileType.objects"


def scan_library(paths):
    mp3 = FileType.objects.get(name="mp3")
    worker = Process(target=scan, args=([p for p in paths if p.endswith(mp3.suffix)],))
    worker.start()
    db.connections.close_all()
