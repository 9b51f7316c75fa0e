"""The WSGI entry for gunicorn: `gunicorn -c gunicorn.conf.py service.wsgi:app`."""

from __future__ import annotations

import logging

from service import create_app

# The app's own log lines go to standard error beside gunicorn's, through the secret mask
# (create_app installs it on these handlers).
if not logging.getLogger().handlers:
    logging.basicConfig(
        level=logging.INFO,
        format="[%(asctime)s] [%(process)d] [%(levelname)s] %(name)s: %(message)s",
    )

# Settings come from the environment (and `.env`); nothing connects until a request.
app = create_app()
