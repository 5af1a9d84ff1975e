"""The worker script: it imports the jobs (to preload them, as RQ's docs suggest) and then forks a
work horse per job, so every horse inherits the connection jobs.py made at import."""
import jobs  # noqa: F401
from redis import Redis
from rq import Queue, Worker

Worker([Queue(connection=Redis())]).work()
