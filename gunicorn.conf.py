"""gunicorn settings for the web app: `gunicorn -c gunicorn.conf.py service.wsgi:app`."""

import multiprocessing
import os

from dotenv import dotenv_values

from service.serving import web_processes, web_threads

bind = f"{os.environ.get('HOST', '0.0.0.0')}:{os.environ.get('PORT', '8000')}"
# A webhook mostly waits: on PostgreSQL's durable commit (an fsync) and on Redis. Threads
# keep many requests in flight per process, and concurrent commits share one fsync (group
# commit), so throughput grows with threads, not with processes. With Redis the worker
# beside the web does the processing and the sending: it gets half the cores
# (service/serving.py says why).
_queued = bool(os.environ.get("REDIS_URL") or dotenv_values(".env").get("REDIS_URL"))
workers = int(
    os.environ.get("WEB_CONCURRENCY") or web_processes(multiprocessing.cpu_count(), _queued)
)
worker_class = "gthread"
threads = int(os.environ.get("WEB_THREADS") or web_threads(_queued))
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
