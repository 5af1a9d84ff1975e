"""The Celery app module connects mongoengine at import through a helper of another module; the
tasks, in a module that imports only the app, query Documents through that default connection."""
from app.db.images import ImageModel
from app.workers import celery


@celery.task
def thumb(image_id):
    return ImageModel.objects(id=image_id).first()  # expect: FS104 "connect_mongo() at import"
