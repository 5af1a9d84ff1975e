from flask import Flask

from web.extensions import db


def create_app():
    app = Flask(__name__)
    app.config["SQLALCHEMY_DATABASE_URI"] = "postgresql://web@db/web"
    db.init_app(app)
    from web.views import bp

    app.register_blueprint(bp)
    return app
