"""Safe twin: the settings give Flask-SQLAlchemy NullPool, so the connection create_all() opened at
import is closed again, and each worker opens its own."""
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
    return str(db.session.execute(db.text("select count(*) from users")).scalar())
