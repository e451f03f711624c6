"""A file cache for exports, shared by the app's worker processes.

Files live under ``<instance>/export-cache/<namespace>/<stamp>/``.  The stamp digests the
data version (``tracker.dataversion``: every change to shown data bumps it), the
organization's name and colours (which the images and PDFs show), the date
(every export shows the day it was generated) and ``FORMAT``.  A change
therefore invalidates every cached export at once: the next request uses a new
folder and older folders are removed.  Drafts are never cached.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

from flask import current_app

from tracker import dataversion, localtime
from tracker.settings import current

FORMAT = "1"  # bump when an export's layout changes
SAFE = re.compile(r"[^A-Za-z0-9._-]+")
stats = {"hits": 0, "misses": 0}


def folder() -> Path:
    return Path(current().export_cache_dir)


def stamp() -> str:
    settings = current()
    parts = [
        FORMAT,
        str(dataversion.current()),
        settings.org_name,
        ",".join(settings.org_colors),
        localtime.today().isoformat(),
    ]
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:20]


def cached(key: str, build: Callable[[], bytes], *, namespace: str = "scorecards") -> bytes:
    """The bytes for ``key`` under the current stamp, built once; each
    ``namespace`` keeps only its current stamp's folder."""
    current = stamp()
    base = folder() / SAFE.sub("_", namespace)
    path = base / current / SAFE.sub("_", key)[:200]
    try:
        data = path.read_bytes()
    except OSError:
        pass
    else:
        stats["hits"] += 1
        return data
    stats["misses"] += 1
    data = build()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temporary, path)
        _prune(base, keep=current)
    except OSError:
        current_app.logger.warning("could not write the export cache at %s", base)
    return data


def _prune(base: Path, keep: str) -> None:
    for child in base.iterdir():
        if child.is_dir() and child.name != keep and len(child.name) == 20:
            shutil.rmtree(child, ignore_errors=True)


def clear() -> int:
    """Remove every cached export; returns how many files were removed."""
    base = folder()
    if not base.is_dir():
        return 0
    count = sum(1 for p in base.rglob("*") if p.is_file())
    shutil.rmtree(base, ignore_errors=True)
    return count
