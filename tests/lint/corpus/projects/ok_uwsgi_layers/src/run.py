"""Safe twin: lazy-apps = true, so each worker imports the app (and connects) itself."""
from flask import Flask
from views import pages

app = Flask(__name__)
app.register_blueprint(pages.bp)
