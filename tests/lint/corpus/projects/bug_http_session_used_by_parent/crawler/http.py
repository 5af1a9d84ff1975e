"""The crawler's one HTTP session, made at import."""
import requests

session = requests.Session()
session.headers["User-Agent"] = "crawler/1.0"
