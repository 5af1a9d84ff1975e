"""Importing ``api.server`` runs this package first: it registers the search blueprint, whose
modules make the MongoDB client at import, in the uWSGI master."""
from flask import Flask

app = Flask(__name__)

from .search.server import searcher  # noqa: E402

app.register_blueprint(searcher)
