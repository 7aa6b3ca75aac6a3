"""WSGI entry point for gunicorn."""

import os
import sys

from django.core.exceptions import ImproperlyConfigured
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "privacyregister.settings")

try:
    application = get_wsgi_application()
except ImproperlyConfigured as exc:
    sys.exit(f"Configuratiefout: {exc}")
