"""An old Flask app (``flask.ext.sqlalchemy``: Flask-SQLAlchemy 2.x or older), preloaded by gunicorn.
Its engine is made on first use: create_all() at import makes it, in the master, with a connection."""
from flask import Flask
from flask.ext.sqlalchemy import SQLAlchemy

app = Flask(__name__)
app.config["SQLALCHEMY_DATABASE_URI"] = "postgresql://app@db/cemetery"
db = SQLAlchemy(app)


class Plot(db.Model):
    id = db.Column(db.Integer, primary_key=True)


@app.route("/plots")
def plots():
    return str(Plot.query.count())  # expect: FS101 "db 'Plot'"


db.create_all()
