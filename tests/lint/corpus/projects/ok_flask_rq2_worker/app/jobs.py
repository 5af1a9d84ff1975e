"""The fix: each job makes its own engine's connections; the worker process's pool is dropped in the
horse (``dispose(close=False)``) before the job queries."""
from .extensions import db, rq
from .models import Campaign


@rq.job(timeout=600)
def sync_campaigns():
    db.engine.dispose(close=False)
    for campaign in Campaign.query.all():
        campaign.synced = True
    db.session.commit()
