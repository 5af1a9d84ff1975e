"""A preloaded Flask app whose settings keep a pool: create_all() at import leaves a pooled
connection in the master, and the workers' requests reuse it."""
from flask import Flask
from flask_sqlalchemy import SQLAlchemy
from settings import Config

db = SQLAlchemy()
app = Flask(__name__)
app.config.from_object(Config)
db.init_app(app)

with app.app_context():
    db.create_all()


@app.route("/users")
def users():
    return str(db.session.execute(db.text("select count(*) from users")).scalar())  # expect: FS101
