"""WSGI entry point (gunicorn itsms.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "itsms.settings")
application = get_wsgi_application()
