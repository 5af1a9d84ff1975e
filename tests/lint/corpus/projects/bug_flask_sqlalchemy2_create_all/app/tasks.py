"""``celery -A app.tasks worker`` (Flask-SQLAlchemy 2.x, pinned in requirements.txt): importing this
module runs ``create_app()``, whose ``create_all()`` makes the engine and leaves a pooled connection
in the worker's parent; the pool children inherit both."""
from app.factory import create_celery_app
from app.models import User

celery = create_celery_app()


@celery.task
def deliver_reset_email(user_id):
    with celery.app.app_context():
        return User.query.get(user_id).email  # expect: FS104 "db 'User'"
