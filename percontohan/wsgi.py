"""WSGI entry point (gunicorn percontohan.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "percontohan.settings")
application = get_wsgi_application()
