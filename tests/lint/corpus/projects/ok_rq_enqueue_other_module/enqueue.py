"""Enqueues a job that lives in another module (the work horse is forked per job)."""
import jobs
from redis import Redis
from rq import Queue

q = Queue(connection=Redis())
for url in ("a", "b"):
    q.enqueue(jobs.count_words, url)
