"""WSGI entry point for gunicorn: ``gunicorn tracker.wsgi:app``.

Each worker tunes Python's garbage collector for serving.  What start-up made
(modules, templates, the app) is frozen: never walked again.  A request leaves
a few hundred objects in reference cycles (Flask's request and its environ, a
template's context, ORM objects and their relationships) that only a collection
frees, and the cost of a collection is the number of objects it walks: the
pause is the slowest request of the moment.

* CPython's defaults (700, 10, 10) collect often, and the older generations
  they then walk hold the cached scorecard snapshots: ``/legislators`` under wrk
  at 8 connections (2 workers, page cache off) had a p99 of 209 ms.
* 100,000 young objects a collection made each one a pause of 140-190 ms
  every second or two: ``/scorecards`` (2 ms of CPU) had a p99 of 61 ms.
* 10,000 young objects a collection (the thresholds below) pause 2-20 ms; the
  middle generation is walked every 50 of them and the whole heap (with the
  snapshots) at most every 5,000: ``/scorecards`` p99 26 ms (README, Benchmarks).
"""

import gc

from tracker import create_app

SERVING_GC_THRESHOLDS = (10_000, 50, 100)

app = create_app()
gc.collect()
gc.freeze()
gc.set_threshold(*SERVING_GC_THRESHOLDS)
