from .extensions import db, rq
from .models import Campaign


@rq.job(timeout=600)
def sync_campaigns():
    for campaign in Campaign.query.all():  # expect: FS104 "db 'Campaign'" "RQ job 'sync_campaigns'"
        campaign.synced = True
    db.session.commit()  # expect: FS104 "Flask-SQLAlchemy db 'db'" "@rq.job at line 5"
