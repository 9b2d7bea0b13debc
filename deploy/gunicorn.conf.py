"""gunicorn settings of one SaferHub app server (README, "Production layout").

    gunicorn -c deploy/gunicorn.conf.py config.wsgi:application

Everything else comes from the environment the hub reads (README, "Configuration"): every app
server gets the same SECRET_KEY, FIELD_ENCRYPTION_KEY, DATABASE_URL, REDIS_URL and MEDIA_ROOT.
"""

import gc
import multiprocessing
import os

# Where nginx reaches this server: 0.0.0.0:8000 when nginx runs on another machine.
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# One worker per core and one more to use the core a worker leaves while it waits on the database
# or Redis. The pages are CPU-bound (measured with `make bench-server` on 2 cores: 3 workers
# answered the officers' mix some 15-25% faster than gunicorn's usual 2 x cores + 1, whose extra
# processes only take turns on the same cores). With the database on another machine (longer
# waits), set GUNICORN_WORKERS higher.
workers = int(os.environ.get("GUNICORN_WORKERS") or multiprocessing.cpu_count() + 1)
worker_class = "sync"
# A worker stuck longer than this is replaced; nginx waits 35 s (proxy_read_timeout).
timeout = 30
# On SIGTERM (a restart, systemd stop) requests in progress get this long to finish.
graceful_timeout = 25
# The heartbeat file in memory: a slow disk must not get healthy workers killed.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None  # noqa: S108 - gunicorn's own advice
# Requests are logged by nginx without their paths (URLs carry keys); errors go to stderr.
accesslog = None
errorlog = "-"
# The code is not loaded in the master, so `kill -HUP <master>` (systemd reload) loads new code.
preload_app = False


def post_worker_init(worker):
    """Before its first request, each worker reads the catalogue's criteria index (every criterion
    of every published tool), so the first searches after a start or a restart do not wait for it.
    A failure is logged and the worker serves anyway: the index is then read on first use.

    Then what the worker holds for its whole life (the code, the templates, the index) is moved
    out of the garbage collector's view (`gc.freeze`): each full collection otherwise walks it
    again, some 230,000 objects, a tenth of a second every few hundred requests."""
    # Django is set up in the worker (the application is loaded there, not in the master).
    from django.db import connections

    from discovery.search import warm_up

    try:
        warm_up()
    except Exception:  # noqa: BLE001 - never keep a worker from serving
        worker.log.exception("The catalogue's criteria index could not be read at start")
    finally:
        connections.close_all()
    gc.collect()
    gc.freeze()
