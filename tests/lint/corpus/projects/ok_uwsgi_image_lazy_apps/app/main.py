"""Safe twin: the app's own uwsgi.ini sets lazy-apps, so each uWSGI worker imports main.py (and
makes its own engine) after the fork."""
from flask import Flask, request
from models import Url, db

app = Flask(__name__)
app.config["SQLALCHEMY_DATABASE_URI"] = "postgresql://app@db/urls"

with app.app_context():
    db.init_app(app)
    db.create_all()


@app.route("/", methods=["POST"])
def shorten():
    db.session.add(Url(original=request.form["url"]))
    db.session.commit()
    return "ok"
