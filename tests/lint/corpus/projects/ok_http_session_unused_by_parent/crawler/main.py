"""Safe: the session is made at import, but the parent sends no request through it before forking
pool workers; each worker's first request opens that worker's own connection."""
from multiprocessing import Pool

from crawler.http import session


def fetch(url):
    return session.get(url).text


def main(urls):
    with Pool(4) as pool:
        return pool.map(fetch, urls)


if __name__ == "__main__":
    main(["https://site.example/a", "https://site.example/b"])
