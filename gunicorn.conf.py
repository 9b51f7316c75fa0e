"""gunicorn settings for the web app: `gunicorn -c gunicorn.conf.py service.wsgi:app`."""

import multiprocessing
import os

bind = f"{os.environ.get('HOST', '0.0.0.0')}:{os.environ.get('PORT', '8000')}"
# Webhooks are short database writes: a few sync workers per core keep a core busy while
# others wait on PostgreSQL. WEB_CONCURRENCY overrides (the usual name on PaaS hosts).
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
worker_class = "sync"
# The app is built once in the master; each worker opens its own database and Redis
# connections on first use (engines are keyed by process id), so preloading is fork-safe.
preload_app = True
# Africa's Talking waits about 10 s for an answer; a request stuck longer is a bug.
timeout = 30
graceful_timeout = 20
keepalive = 5
# Request bodies are limited by the app (MAX_BODY_BYTES, 413); headers here.
limit_request_field_size = 8190
accesslog = os.environ.get("ACCESS_LOG") or None
errorlog = "-"
