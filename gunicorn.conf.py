"""gunicorn settings, picked up from the working directory by `gunicorn wsgi:app`.

Threaded workers: the sign-in callback calls the token endpoint; with one sync worker per
request the mock provider in the same process could not answer (see docs/decisions).
"""

import os

bind = os.environ.get("BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "8"))
timeout = 60
accesslog = "-"
# The default access log has the query string, which can hold a login hint: log the path only.
access_log_format = '%(h)s "%(m)s %(U)s" %(s)s %(b)s %(L)ss'
