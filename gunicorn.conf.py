"""gunicorn's settings for coach: gunicorn reads this file from the folder it is started in
(its default config, ``./gunicorn.conf.py``), so the README's deploy command and the load
commands (``manage.py loadbench``, ``loadtest``, both started from the project folder) serve
with the same settings. Flags on the command line win (the README's ``--workers 3``, the load
commands' ``--workers``); docs/perf-calendar-load.md says what was measured.
"""

import os

# Synchronous workers, one request at a time each: the app's requests are CPU-bound Python
# (1-20 ms a page) behind a proxy that buffers slow clients, which is what they are for.
worker_class = "sync"
workers = int(os.environ.get("WEB_CONCURRENCY", "3"))  # gunicorn's own variable, else 3
timeout = 30  # a worker silent this long is restarted
graceful_timeout = 10
# The workers' heartbeat file in memory: on a disk-backed /tmp its updates can stall a
# worker (gunicorn's docs, "Blocking OS calls").
if os.path.isdir("/dev/shm"):
    worker_tmp_dir = "/dev/shm"
