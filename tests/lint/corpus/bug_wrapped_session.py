"""A library object built around a client holds it: CacheControl(session) talks over the session's
pool, which the parent has used, and the children are handed the wrapper."""
import multiprocessing

import requests
from cachecontrol import CacheControl


def get(cached):
    return cached.get("https://example.org").status_code


session = requests.Session()
cached = CacheControl(session)
get(cached)
for _ in range(2):
    multiprocessing.Process(target=get, args=(cached,)).start()  # expect: FS102 "CacheControl(session)"
