"""Run as ``python app.py worker`` from app/: ``util`` and ``worker`` are importable as top-level
packages there, although app/ is itself a package."""
import sys

from util.client import celery_app

if __name__ == "__main__" and sys.argv[1:] == ["worker"]:
    celery_app.worker_main(["worker", "--concurrency=4"])
