"""The parent logs in through the shared session (its pool now holds a connection), then forks pool
workers that fetch pages through the same session: they share the parent's keep-alive socket."""
from multiprocessing import Pool

from crawler.http import session


def fetch(url):
    return session.get(url).text  # expect: FS101 "HTTP session" "requests.Session() made at" "http.py:4"


def main(urls):
    session.post("https://site.example/login", data={"user": "bot"})
    with Pool(4) as pool:
        return pool.map(fetch, urls)


if __name__ == "__main__":
    main(["https://site.example/a", "https://site.example/b"])
