"""Safe with Flask-SQLAlchemy 2.x (pinned): nothing at import touches the database, so the engine is
made on first use, in each pool child."""
from app.factory import create_celery_app
from app.models import User

celery = create_celery_app()


@celery.task
def deliver_reset_email(user_id):
    with celery.app.app_context():
        return User.query.get(user_id).email
