"""Safe: a requests.Session handed to pool tasks as an argument is pickled, and each worker unpickles a
fresh session with no connections (its pool is not inherited)."""
from multiprocessing import Pool

import requests


def fetch(session, url):
    return session.get(url).status_code


if __name__ == "__main__":
    session = requests.Session()
    session.get("https://example.org")
    with Pool(4) as pool:
        pool.starmap(fetch, [(session, "https://example.org/a"), (session, "https://example.org/b")])
