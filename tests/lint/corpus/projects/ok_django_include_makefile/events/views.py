from django.http import HttpResponse

from events.producer import producer


def publish(request):
    producer.send("events", request.body)
    return HttpResponse("ok")
