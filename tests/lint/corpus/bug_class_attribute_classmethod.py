"""A class attribute holds the client (made at import); a classmethod hands it to the workers, and the
parent's own first call through it connected the session's pool before the fork."""
from concurrent.futures import ProcessPoolExecutor

import requests


class Api:
    session = requests.Session()

    @classmethod
    def fetch(cls, url):
        return cls.session.get(url).text


def download(url):
    return Api.fetch(url)  # expect: FS101 "requests.Session() made at line 9" "class attribute Api.session"


def main(urls):
    Api.fetch(urls[0])
    with ProcessPoolExecutor(4) as ex:
        return list(ex.map(download, urls))
