from celery import shared_task
from database import ImageModel


@shared_task
def thumbnail(image_id):
    image = ImageModel.objects(id=image_id).first()
    return image.path
