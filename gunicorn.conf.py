"""gunicorn settings, picked up from the working directory by `gunicorn wsgi:app`.

Threaded workers: the sign-in callback calls the token endpoint; with one sync worker per
request the mock provider in the same process could not answer (see docs/decisions).

Two processes per core with four threads each, not fewer processes with more threads: the
threads of one process share its GIL, and measured on 2 cores (`make bench`, ballots on
PostgreSQL, 64 clients) 4 x 4 served 14 % more ballots per second than 2 x 8, whose threads
mostly waited for each other. At most eight processes: each has its own database pool.
"""

import os

bind = os.environ.get("BIND", "127.0.0.1:8000")
# The cores this process may run on (a container's CPU set), not the host's count.
_cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
workers = int(os.environ.get("WEB_CONCURRENCY", min(2 * (_cores or 1), 8)))
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
# Keep-alive connections one process may hold (gunicorn's default: 1000). With the default, a
# burst of clients could all land on the first idle process and stay there: for cheap requests
# one process (one GIL) then did the work of all, at a third of the speed (measured: a cached
# payment code at 1,588/s instead of 4,763/s). A cap spreads them over the processes; beyond
# processes × cap, connections wait in the listen queue: run behind a reverse proxy that pools
# connections (it always holds far fewer), or raise GUNICORN_WORKER_CONNECTIONS.
worker_connections = int(os.environ.get("GUNICORN_WORKER_CONNECTIONS", str(4 * threads)))
timeout = 60
# Request size limits: gunicorn answers a breach of its own limits itself, in HTML, so they sit
# above the app's (app/http_limits.py: a request line over 4 kB, a header over 8 kB or more
# than 100 headers answer JSON 414/431 with the limit in `details`). Past gunicorn's maxima
# (a line over 8190 bytes) the front proxy answers first (README, Deployment). In gunicorn
# 27 a line limit of 0 means unlimited and anything from 8190 up means 8190 (its maximum); a
# field size of 0 means 8190 (not unlimited); a field count of 0 or above 32768 means 32768.
# The header buffer gunicorn accepts is fields x (size + 2): these give about 6 MB at most.
limit_request_line = 8190
limit_request_fields = 300
limit_request_field_size = 20480
accesslog = "-"
# The default access log has the query string, which can hold a login hint: log the path only.
access_log_format = '%(h)s "%(m)s %(U)s" %(s)s %(b)s %(L)ss'


def post_worker_init(worker):
    """Move everything loaded so far out of the garbage collector's reach.

    The loaded app is ~200,000 long-lived objects (modules, SQLAlchemy and marshmallow
    metadata, routes); each full collection walked all of them, stopping every thread of the
    worker for about 100 ms (the p99 of the public reads under load). Frozen objects are never
    collected, which is right for what the app loads at start.
    """
    import gc

    gc.freeze()


def on_starting(server):
    """Refuse to start in production when rate limits would count per process.

    Without REDIS_URL the limits count in each process's memory, so N processes let N times
    the limit through. app/config.py refuses that unless WEB_CONCURRENCY=1, but the number
    gunicorn really starts can come from elsewhere (`-w`, GUNICORN_CMD_ARGS): check that one.
    """
    production = os.environ.get("APP_ENV", "development") == "production"
    if production and not os.environ.get("REDIS_URL") and server.cfg.workers > 1:
        raise RuntimeError(
            f"APP_ENV=production with {server.cfg.workers} workers and no REDIS_URL: rate "
            "limits would be counted per process. Set REDIS_URL, or run one worker."
        )
