from django.urls import path

from events import views

urlpatterns = [path("publish/", views.publish)]
