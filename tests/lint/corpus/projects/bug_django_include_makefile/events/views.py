from django.http import HttpResponse

from events.producer import producer


def publish(request):
    producer.send("events", request.body)  # expect: FS101 "gunicorn --preload (Makefile line 5)"
    return HttpResponse("ok")
