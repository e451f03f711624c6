"""Caching of public pages until the data behind them changes.

Each cached page is keyed by its URL and the data version
(``tracker.dataversion``: one counter bumped in the transaction of any change
to shown data, never by a scrape that changed nothing).  When it moves, old
entries are simply never read again and age out.  Signed-in users are never
served from or written to the cache (their pages carry a sign-out form with a
CSRF token).

Nothing belonging to one visitor is ever stored, since every later visitor
would be shown it:

* flash messages are not part of a cached body: the page is rendered with a
  placeholder (:data:`FLASH_SLOT`) where they go, and each response, a hit or
  the miss that filled the cache, gets the visitor's own messages put in its
  place (``flashes()`` in ``base.html``; plain HTML, no JavaScript);
* a response that sets a cookie, or whose view read or changed the session (a
  CSRF token, a flash, anything kept per visitor), is served but not stored.

The read-only API's documents are cached the same way (``tracker.api``): the
key holds the scheme and host as well as the path, since a document's links are
absolute, and the entry keeps when its data last changed (``g.last_modified``,
which the API's caching hook sends as ``Last-Modified``), so a hit answers with
the same headers as the render that filled it.

A page can also change without any change of data, when the clock passes a
moment it depends on: an action alert's deadline (``tracker.alerts.alert_state``
calls :func:`stale_at` during the render), or midnight, when "today" moves on
(who is seated now, which hearings are upcoming).  A page is kept only until the
earliest such moment.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import (
    Response,
    g,
    has_request_context,
    make_response,
    render_template,
    request,
    session,
)
from flask.sessions import SessionMixin
from flask_login import current_user
from markupsafe import Markup

from config import CACHE_SECONDS
from tracker import dataversion, i18n, localtime
from tracker.extensions import cache

# Autoescaped page text can never contain "<!--", so this only ever marks the slot.
FLASH_SLOT = "<!-- tracker:flash-messages -->"


def data_stamp() -> str:
    return str(dataversion.current())


def flashes() -> Markup:
    """The flash messages of this visitor, or, on a page rendered for the cache, the
    slot they are put in per response (a template global, used by ``base.html``)."""
    if g.get("rendering_for_cache"):
        return Markup(FLASH_SLOT)  # noqa: S704 - a constant
    return Markup(render_template("_flashes.html"))  # noqa: S704 - an autoescaped template


def stale_at(moment: dt.datetime) -> None:
    """The page being rendered for the cache changes at ``moment`` (an aware
    datetime) without any change of data: it is kept until then at most.  Outside
    such a render (a signed-in page, a command, a mail) nothing happens."""
    if not has_request_context() or not g.get("rendering_for_cache"):
        return
    earliest = g.get("stale_at")
    if earliest is None or moment < earliest:
        g.stale_at = moment


def cached_page(view: Callable[..., Any]) -> Callable[..., Any]:
    """Serve an anonymous GET of this view from the cache while the data stamp holds,
    at most until the day ends (:func:`day_ends`) or the render's :func:`stale_at`."""

    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        if request.method != "GET" or current_user.is_authenticated:
            return view(*args, **kwargs)
        key = f"page:{i18n.current()}:{request.host_url}{request.full_path}:{data_stamp()}"
        hit = cache.get(key)
        if hit is not None:
            body, status, mimetype, last_modified = hit
            if last_modified is not None:
                g.last_modified = last_modified
            response = Response(body, status, {"Content-Type": mimetype, "X-Page-Cache": "hit"})
            return _fill_flash_slot(response)
        response, per_visitor = _render_for_cache(view, *args, **kwargs)
        now = dt.datetime.now(dt.UTC)
        until = day_ends(now)
        stale = g.pop("stale_at", None)
        timeout = _keep_for(stale if stale is not None and stale < until else until, now)
        if not per_visitor and _storable(response) and timeout != 0:
            entry = (
                response.get_data(),
                response.status_code,
                response.content_type,
                g.get("last_modified"),
            )
            cache.set(key, entry, timeout=timeout)
        return _fill_flash_slot(response)

    return wrapped


def day_ends(now: dt.datetime) -> dt.datetime:
    """The next midnight in Minnesota, when what pages take to be today
    (``localtime.today()``) moves on."""
    tomorrow = localtime.today(now) + dt.timedelta(days=1)
    return dt.datetime.combine(tomorrow, dt.time(), tzinfo=localtime.LOCAL)


def _keep_for(until: dt.datetime, now: dt.datetime) -> int | None:
    """The entry's timeout: the cache's default (None) unless the page goes stale at
    ``until`` sooner; then the whole seconds left before it (0: do not keep it)."""
    seconds = max(int((until - now).total_seconds()), 0)
    return None if seconds >= CACHE_SECONDS else seconds


def _render_for_cache(view: Callable[..., Any], *args: Any, **kwargs: Any) -> tuple[Response, bool]:
    """The view's response, rendered with the flash slot, and whether it read or
    changed the session (then it belongs to this visitor alone).

    Every touch of the ``session`` proxy marks the session accessed (Flask 3.1.3), so
    the mark is cleared on the session object itself and read back after the view."""
    raw: SessionMixin = session._get_current_object()  # type: ignore[attr-defined]
    # The sign-in check above reads the session (and may mark it modified).
    before = raw.accessed, raw.modified
    raw.accessed = raw.modified = False
    g.rendering_for_cache = True
    try:
        response = make_response(view(*args, **kwargs))
    finally:
        g.rendering_for_cache = False
    per_visitor = raw.accessed or raw.modified
    raw.accessed, raw.modified = before[0] or raw.accessed, before[1] or raw.modified
    return response, per_visitor


def _storable(response: Response) -> bool:
    return (
        response.status_code == 200
        and not response.direct_passthrough
        and not response.is_streamed
        and "Set-Cookie" not in response.headers
        and "Cookie" not in response.vary
    )


def _fill_flash_slot(response: Response) -> Response:
    if response.mimetype != "text/html" or response.direct_passthrough or response.is_streamed:
        return response
    body = response.get_data()
    slot = FLASH_SLOT.encode()
    if slot in body:
        response.set_data(body.replace(slot, render_template("_flashes.html").encode(), 1))
    return response
