"""tiangolo's uwsgi-nginx-flask image runs uWSGI on /app/main.py: the master imports it (and
creates the tables through the engine), then forks the workers, which share its pooled connection."""
from flask import Flask, request
from models import Url, db

app = Flask(__name__)
app.config["SQLALCHEMY_DATABASE_URI"] = "postgresql://app@db/urls"

with app.app_context():
    db.init_app(app)
    db.create_all()


@app.route("/", methods=["POST"])
def shorten():
    db.session.add(Url(original=request.form["url"]))  # expect: FS101 "tiangolo/uwsgi-nginx image"
    db.session.commit()
    return "ok"
