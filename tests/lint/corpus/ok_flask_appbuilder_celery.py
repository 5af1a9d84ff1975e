"""The fix: every pool child drops the pool it inherited without closing the parent's sockets
(``dispose(close=False)`` in ``worker_process_init``) and opens its own connections."""
import celery
from celery.signals import worker_process_init
from flask import Flask
from flask_appbuilder import SQLA, AppBuilder

app = Flask(__name__)
db = SQLA(app)
appbuilder = AppBuilder(app, db.session)
celery_app = celery.Celery(config_source=app.config.get("CELERY_CONFIG"))


@worker_process_init.connect
def reset_pool(**_):
    db.engine.dispose(close=False)


@celery_app.task
def get_sql_results(query_id):
    session = db.session()
    return session.execute(db.text("SELECT * FROM query WHERE id = :i"), {"i": query_id}).first()
