"""gunicorn settings for `make run`, the tests and production (override with GUNICORN_* env)."""

import multiprocessing
import os

bind = f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}"
# gthread: threads wait on the database while the worker's other threads serve.
worker_class = "gthread"
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count()))
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 20
keepalive = 5
# The app refuses query strings over 8,000 bytes itself, as problem+json; gunicorn's own
# refusal (at most 8,190 bytes) would be HTML. Front it with a proxy that caps request lines.
limit_request_line = 0
accesslog = "-"
# Access log lines as JSON objects, with the request id the app returned (X-Request-ID).
logger_class = "api.http.logs.JSONAccessLogger"
# The app is loaded once, before forking; no database connection is opened until a request
# needs one, and each worker drops any pooled connection it might have inherited. The default
# rate-limit storage (sqlite://) makes its file then, so that every worker counts in it.
preload_app = True


def post_fork(server, _worker):
    engine = server.app.wsgi().extensions["database_engine"]
    engine.dispose(close=False)


control_socket_disable = True
