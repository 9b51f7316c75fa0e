"""gunicorn settings for the web app: `gunicorn -c gunicorn.conf.py service.wsgi:app`."""

import multiprocessing
import os

bind = f"{os.environ.get('HOST', '0.0.0.0')}:{os.environ.get('PORT', '8000')}"
# A webhook mostly waits: on PostgreSQL's durable commit (an fsync) and on Redis. Threads
# keep many requests in flight per process, and concurrent commits share one fsync (group
# commit), so throughput grows with threads, not with processes. One process per core.
workers = int(os.environ.get("WEB_CONCURRENCY") or multiprocessing.cpu_count())
worker_class = "gthread"
threads = int(os.environ.get("WEB_THREADS") or 8)
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
