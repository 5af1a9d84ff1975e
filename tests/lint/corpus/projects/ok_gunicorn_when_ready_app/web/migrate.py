from sqlalchemy import text

from web.extensions import db


def migrate_servers():
    db.session.execute(text("UPDATE server SET verified = true WHERE verified IS NULL"))
    db.session.commit()
