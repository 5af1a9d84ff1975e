"""A service layer: its results are plain rows, but it queries through the shared db."""
from extensions import db


class Dashboard:
    @staticmethod
    def rows():
        return db.session.execute(db.text("select * from sensors")).all()
