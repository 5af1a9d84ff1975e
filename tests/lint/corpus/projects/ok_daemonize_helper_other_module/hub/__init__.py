"""A hub client library: a daemonize() helper (the classic double fork), and a session class whose
requests session is made by a method its __init__ calls."""
import os

import requests


def daemonize():
    pid = os.fork()
    if pid:
        os._exit(0)
    os.setsid()
    pid = os.fork()
    if pid:
        os._exit(0)


class ClientSession:
    def __init__(self, baseurl):
        self.baseurl = baseurl
        self.rsession = None
        self.new_session()

    def new_session(self):
        self.rsession = requests.Session()

    def login(self):
        return self.rsession.post(self.baseurl + "/login")

    def call(self, name):
        return self.rsession.post(self.baseurl + "/" + name)
