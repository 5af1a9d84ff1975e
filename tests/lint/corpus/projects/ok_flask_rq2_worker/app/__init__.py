from flask import Flask

from .extensions import db, rq


def create_app():
    app = Flask(__name__)
    db.init_app(app)
    rq.init_app(app)
    from . import jobs  # noqa: F401  (registers the jobs)
    from .models import Campaign
    with app.app_context():  # a query at start-up: the pool keeps the connection it opened
        app.config["CAMPAIGNS"] = [c.id for c in Campaign.query.all()]
    return app
