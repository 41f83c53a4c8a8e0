"""The server's entry point: without DJANGO_SETTINGS_MODULE it runs the production settings,
which refuse to start without their secrets rather than serve with DEBUG on."""
import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.production")
application = get_asgi_application()
