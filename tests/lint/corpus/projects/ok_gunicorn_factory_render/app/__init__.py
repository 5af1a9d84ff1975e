"""The app factory gunicorn calls ("app:create_app()"): it binds the db and creates the tables."""
from flask import Flask

from app.extensions import db


def create_app():
    app = Flask(__name__)
    app.config["SQLALCHEMY_DATABASE_URI"] = "postgresql://app@db/invoices"
    db.init_app(app)
    from app.routes import bp

    app.register_blueprint(bp)
    with app.app_context():
        db.create_all()
    return app
