"""The WSGI entry for gunicorn: `gunicorn -c gunicorn.conf.py service.wsgi:app`."""

from __future__ import annotations

from service import create_app

# Settings come from the environment (and `.env`); nothing connects until a request.
app = create_app()
