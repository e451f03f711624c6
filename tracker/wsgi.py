"""WSGI entry point for gunicorn: ``gunicorn tracker.wsgi:app``.

Each worker tunes Python's garbage collector for serving.  Rendering a page
allocates tens of thousands of short-lived objects; with CPython's default
thresholds (700, 10, 10) a worker starts a collection every 700 of them, and
the older generations it then walks hold the cached scorecard snapshots.  Under
load those pauses were the slowest requests: ``/legislators`` under wrk at 8
connections (2 workers, page cache off) had a p99 of 209 ms with the defaults
and 78 ms with the thresholds below, at the same median (README, Benchmarks).
What start-up made (modules, templates, the app) is frozen: never walked again.
"""

import gc

from tracker import create_app

SERVING_GC_THRESHOLDS = (100_000, 50, 100)

app = create_app()
gc.collect()
gc.freeze()
gc.set_threshold(*SERVING_GC_THRESHOLDS)
