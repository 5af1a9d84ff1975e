"""A preloaded app with a module-level requests.Session that is only configured at import (headers,
an adapter) and warmed with a request in the master: the workers inherit its open connection."""
import requests
from flask import Flask
from requests.adapters import HTTPAdapter

app = Flask(__name__)
http_session = requests.Session()
http_session.headers.update({"User-Agent": "catalog/1.0"})
http_session.mount("https://images.example.", HTTPAdapter(max_retries=3))
http_session.get("https://world.example/api/v2/status", timeout=5)


@app.route("/product/<code>")
def product(code):
    return http_session.get(f"https://world.example/product/{code}").text  # expect: FS101 "HTTP session"
