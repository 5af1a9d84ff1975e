"""Safe twin: the class makes its session on first use, which happens in the child."""
from concurrent.futures import ProcessPoolExecutor

import requests


class Api:
    session = None

    @classmethod
    def fetch(cls, url):
        if cls.session is None:
            cls.session = requests.Session()
        return cls.session.get(url).text


def download(url):
    return Api.fetch(url)


def main(urls):
    with ProcessPoolExecutor(4) as ex:
        return list(ex.map(download, urls))
