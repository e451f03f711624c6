"""The read-only public JSON API, versioned under /api/v1/.

Each view declares its contract with ``tracker.api.openapi.documented``: the
pydantic query model (``tracker.api.schemas``) spectree validates the query
arguments with before the view runs, and the documents it answers with; the
OpenAPI document ``/api/v1/openapi.json`` is generated from the same models.
Errors are JSON (``{"error", "message", "status"}``, see ``tracker.web``): 404
for an unknown session, bill, person, scorecard or alert; 400 for a malformed
bill id, query argument or a NUL byte.  Lists are paged with ``page`` and
``per_page`` and carry ``total`` and absolute ``next``/``previous`` links.

Every response under /api/v1/ allows cross-origin GET (``*``, no
credentials) and answers CORS preflights; successful GETs carry a strong
ETag (a hash of the body), ``Last-Modified`` where a view knows when its data
last changed (publish or ingest time), and ``Cache-Control: public``; a
matching ``If-None-Match`` gets 304 with no body.  Responses are compressed
(Flask-Compress) when the client accepts it; a compressed body has its own
ETag, and a 304 answers either.  Documents are kept in the page cache
(``tracker.pagecache.cached_page``) until the data version moves, like pages.
Routes live in
``views`` (index, bills, legislators), ``scorecards`` and ``alerts``.  Only
published positions and scorecard versions are ever read here.
"""

from __future__ import annotations

from flask import Blueprint

from tracker.extensions import csrf

bp = Blueprint("api", __name__)
csrf.exempt(bp)  # read-only GET endpoints; nothing here changes state

from tracker.api import alerts, scorecards, views  # noqa: E402,F401,I001  (modules that add routes to bp)

__all__ = ["bp"]
