from flask import Flask

from app.database import Session


def create_app():
    app = Flask(__name__)
    Session.init_app(app)
    from app.views import bp
    app.register_blueprint(bp)
    return app
