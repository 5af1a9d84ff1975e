from django.db import models


class Schedule(models.Model):
    func = models.CharField(max_length=200)
    minutes = models.IntegerField(default=60)


class Part(models.Model):
    name = models.CharField(max_length=100)
