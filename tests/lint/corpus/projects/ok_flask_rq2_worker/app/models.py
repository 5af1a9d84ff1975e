from .extensions import db


class Campaign(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    synced = db.Column(db.Boolean, default=False)
