"""Security headers on every response.

Flask-Talisman sets the Content-Security-Policy (no inline scripts, nothing
from other hosts), ``frame-ancestors 'none'``, ``X-Content-Type-Options:
nosniff``, a referrer policy, and HSTS on HTTPS requests when
``TRACKER_BEHIND_TLS`` is set.  Routes that partners may frame use
``embeddable``, which allows exactly ``TRACKER_EMBED_ORIGINS``.

Staff, admin and sign-in pages (the blueprints in ``PRIVATE_BLUEPRINTS``) are
sent with ``Cache-Control: no-store``: no browser history, shared cache or proxy
keeps a copy of a draft, an account list or a sign-in form.  Text the app cannot
store is refused before anything reads it (``tracker.inputs``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Flask, Response, current_app, request

from tracker.extensions import talisman
from tracker.settings import current
from tracker.settings import of as settings_of

CSP: dict[str, str | list[str]] = {
    "default-src": "'self'",
    "img-src": ["'self'", "data:"],
    "style-src": "'self'",
    "script-src": "'self'",
    "font-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}


def init_app(app: Flask) -> None:
    from tracker import inputs

    inputs.init_app(app)  # text the app cannot store: a 400 before anything reads it
    app.after_request(_private_pages_are_not_stored)
    # Registered before Talisman's hook so that it runs after it (Flask runs
    # after_request hooks in reverse order) and has the last word on embeds.
    app.after_request(_allow_embedding)
    behind_tls = settings_of(app).behind_tls
    talisman.init_app(
        app,
        force_https=False,  # the TLS proxy redirects; /healthz must answer plain HTTP
        strict_transport_security=behind_tls,
        strict_transport_security_max_age=31536000,
        session_cookie_secure=bool(app.config["SESSION_COOKIE_SECURE"]),
        session_cookie_http_only=True,
        frame_options="DENY",
        content_security_policy=CSP,
        referrer_policy="strict-origin-when-cross-origin",
        x_content_type_options=True,
    )


PRIVATE_BLUEPRINTS = frozenset({"staff", "admin", "auth"})


def _private_pages_are_not_stored(response: Response) -> Response:
    if request.blueprint in PRIVATE_BLUEPRINTS:
        response.headers["Cache-Control"] = "no-store"
    return response


def csp_header(policy: dict[str, str | list[str]]) -> str:
    parts = []
    for directive, value in policy.items():
        sources = value if isinstance(value, str) else " ".join(value)
        parts.append(f"{directive} {sources}")
    return "; ".join(parts)


def embeddable(view: Callable[..., Any]) -> Callable[..., Any]:
    """Mark a view that the origins in ``TRACKER_EMBED_ORIGINS`` may frame."""
    view._tracker_embeddable = True  # type: ignore[attr-defined]
    return view


def _allow_embedding(response: Response) -> Response:
    view = current_app.view_functions.get(request.endpoint or "")
    if view is not None and getattr(view, "_tracker_embeddable", False):
        origins = current().embed_origins
        policy = {**CSP, "frame-ancestors": " ".join(origins) if origins else "'none'"}
        response.headers["Content-Security-Policy"] = csp_header(policy)
        response.headers.pop("X-Frame-Options", None)
    return response
