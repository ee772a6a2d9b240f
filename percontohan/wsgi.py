"""WSGI entry point (gunicorn percontohan.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

from percontohan.stack import with_room

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "percontohan.settings")
django_application = get_wsgi_application()


def application(environ, start_response):
    """Django's application, each request run with room on the Python stack (percontohan.stack)."""
    return with_room(django_application, environ, start_response)
