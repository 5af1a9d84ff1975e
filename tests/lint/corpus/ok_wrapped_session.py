"""Safe twin: each child wraps a session of its own."""
import multiprocessing

import requests
from cachecontrol import CacheControl


def get():
    cached = CacheControl(requests.Session())
    return cached.get("https://example.org").status_code


get()
for _ in range(2):
    multiprocessing.Process(target=get).start()
