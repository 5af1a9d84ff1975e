from celery import Celery
from pymongo import MongoClient

celery_app = Celery("slime", include=["worker.task"])
mongo_db = MongoClient("mongodb://mongo:27017", connect=False).slime
db_task = mongo_db.task
