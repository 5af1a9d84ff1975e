"""Every uWSGI worker loads the app itself (lazy-apps): ready() runs in each, after the fork."""
from django.apps import AppConfig
from django.conf import settings


class CatalogueConfig(AppConfig):
    name = "storefront"

    def ready(self):
        from storefront.models import Currency

        for code in settings.CURRENCIES:
            Currency.objects.get_or_create(code=code)
