"""uWSGI loads the app in its master, then forks the workers: ready() runs once, there."""
from django.apps import AppConfig
from django.conf import settings


class CatalogueConfig(AppConfig):
    name = "shopfront"

    def ready(self):
        from shopfront.models import Currency

        for code in settings.CURRENCIES:
            Currency.objects.get_or_create(code=code)  # expect: FS101 "uWSGI without lazy-apps (uwsgi.ini)"
