"""The wsgi-file uWSGI loads in its master (namespace packages: no __init__.py anywhere)."""
from flask import Flask
from views import pages

app = Flask(__name__)
app.register_blueprint(pages.bp)
