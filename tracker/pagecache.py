"""Caching of public pages until the data behind them changes.

Each cached page is keyed by its URL and the data version
(``tracker.dataversion``: one counter bumped in the transaction of any change
to shown data, never by a scrape that changed nothing).  When it moves, old
entries are simply never read again and age out.  Signed-in users are never
served from or written to the cache (their pages carry a sign-out form with a
CSRF token).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import request
from flask_login import current_user

from tracker import dataversion
from tracker.extensions import cache


def data_stamp() -> str:
    return str(dataversion.current())


def cached_page(view: Callable[..., Any]) -> Callable[..., Any]:
    """Serve an anonymous GET of this view from the cache while the data stamp holds."""

    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        if request.method != "GET" or current_user.is_authenticated:
            return view(*args, **kwargs)
        key = f"page:{request.full_path}:{data_stamp()}"
        hit = cache.get(key)
        if hit is not None:
            body, status, mimetype = hit
            return body, status, {"Content-Type": mimetype, "X-Page-Cache": "hit"}
        result = view(*args, **kwargs)
        body, status, mimetype = _parts(result)
        if status == 200 and body is not None:
            cache.set(key, (body, status, mimetype))
        return result

    return wrapped


def _parts(result: Any) -> tuple[Any, int, str]:
    from flask import Response

    if isinstance(result, Response):
        if result.direct_passthrough or result.is_streamed:
            return None, result.status_code, result.mimetype or ""
        return result.get_data(), result.status_code, result.content_type or ""
    if isinstance(result, tuple):
        body, status = result[0], result[1]
        return body, int(status), "text/html; charset=utf-8"
    return result, 200, "text/html; charset=utf-8"
