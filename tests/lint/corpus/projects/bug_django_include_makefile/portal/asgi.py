import django

django.setup()

from django.core.asgi import get_asgi_application  # noqa: E402

import portal.urls  # noqa: E402, F401

application = get_asgi_application()
