"""The worker script: it preloads the jobs module and forks a work horse per job; the job
connects itself there, so nothing made by the worker crosses."""
import jobs  # noqa: F401
from redis import Redis
from rq import Queue, Worker

Worker([Queue(connection=Redis())]).work()
