"""Flask-AppBuilder's ``SQLA`` is Flask-SQLAlchemy's db (Superset, Caravel): ``AppBuilder(app,
db.session)`` at import creates its tables and roles through it in the Celery worker's parent,
and the prefork children's tasks query through the pooled connection it left."""
import celery
from flask import Flask
from flask_appbuilder import SQLA, AppBuilder

app = Flask(__name__)
db = SQLA(app)
appbuilder = AppBuilder(app, db.session)
celery_app = celery.Celery(config_source=app.config.get("CELERY_CONFIG"))


@celery_app.task
def get_sql_results(query_id):
    session = db.session()  # expect: FS104 "flask_appbuilder.SQLA() made at line 9"
    return session.execute(db.text("SELECT * FROM query WHERE id = :i"), {"i": query_id}).first()
