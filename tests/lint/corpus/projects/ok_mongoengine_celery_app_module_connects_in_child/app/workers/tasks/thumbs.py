from app.db.images import ImageModel
from app.workers import celery


@celery.task
def thumb(image_id):
    return ImageModel.objects(id=image_id).first()
