"""A preloaded app with a module-level requests.Session that is only configured at import (headers,
an adapter): it opens nothing before the fork, so each worker's first request connects its own."""
import requests
from flask import Flask
from requests.adapters import HTTPAdapter

app = Flask(__name__)
http_session = requests.Session()
http_session.headers.update({"User-Agent": "catalog/1.0"})
http_session.mount("https://images.example.", HTTPAdapter(max_retries=3))


@app.route("/product/<code>")
def product(code):
    return http_session.get(f"https://world.example/api/v2/product/{code}", timeout=5).text
