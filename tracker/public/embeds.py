"""Embeds for partners' sites: a legislator's score card, an address lookup
form and an SVG badge, under ``/embed/``.

These routes set no cookies (the session is neither saved nor refreshed on
these responses) and may be framed by the origins in ``TRACKER_EMBED_ORIGINS``
(``tracker.security.embeddable``).  The copy-paste snippets are plain HTML
iframes (``templates/embed/_snippet.html``).  Embeds are in the request's language
(``?lang=es``: ``tracker.i18n``); the badge is cached per language."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import (
    Response,
    after_this_request,
    render_template,
    request,
    session,
    url_for,
)
from werkzeug.routing import BuildError

from tracker import headline
from tracker.exports import export_data
from tracker.public import bp
from tracker.public.downloads import (
    in_language,
    legislator_version,
    person_or_404,
    send,
    version_or_404,
)
from tracker.security import embeddable
from tracker.settings import current
from tracker.snapshots import Snapshot

EMBED_CSS = """\
*{box-sizing:border-box}
body{margin:0;font-family:"DejaVu Sans",system-ui,-apple-system,"Segoe UI",sans-serif;
color:#1a1a1a;background:#fff;font-size:15px;line-height:1.4}
.embed{border:1px solid #d0d0d0;border-radius:8px;overflow:hidden;max-width:420px}
.embed-head{background:var(--brand,#1b4f72);color:#fff;padding:.6rem .9rem;font-weight:bold}
.embed-body{padding:.8rem .9rem}
.embed h1{font-size:1.25rem;margin:0 0 .2rem}
.muted{color:#555;font-size:.9rem;margin:.1rem 0}
.score{display:flex;align-items:baseline;gap:.6rem;margin:.6rem 0}
.score strong{font-size:2.6rem;line-height:1;color:var(--brand,#1b4f72)}
.grade{display:inline-block;background:var(--accent,#f4d03f);border-radius:999px;
padding:.1rem .6rem;font-weight:bold}
.embed a{color:var(--brand,#1b4f72)}
label{display:block;font-weight:bold;margin-bottom:.3rem}
input[type=text]{width:100%;padding:.45rem;border:1px solid #888;border-radius:4px;font:inherit}
button{margin-top:.5rem;padding:.45rem .9rem;border:0;border-radius:4px;font:inherit;
background:var(--brand,#1b4f72);color:#fff;cursor:pointer}
"""


def cookieless(view: Callable[..., Any]) -> Callable[..., Any]:
    """Run ``view`` with a null session: no ``Set-Cookie`` on the response,
    even for a signed-in visitor whose session would otherwise be refreshed."""

    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        after_this_request(_keep_session_unsaved)
        return view(*args, **kwargs)

    return wrapped


def _keep_session_unsaved(response: Response) -> Response:
    """Runs before the session is saved: nothing changed here is written, and
    a permanent session is not refreshed, so no ``Set-Cookie`` goes out.  (The
    session itself is untouched in the visitor's browser.)"""
    if session:
        session.permanent = False
        session.modified = False
    return response


def site_url(path: str) -> str:
    """An absolute URL on the main site (``TRACKER_PUBLIC_URL``)."""
    return current().public_url.rstrip("/") + path


def find_url() -> str:
    try:
        return site_url(url_for("public.find"))
    except BuildError:  # the lookup page lives in another module
        return site_url("/find")


@bp.get("/embed/embed.css")
@cookieless
def embed_css() -> Response:
    response = Response(EMBED_CSS, mimetype="text/css")
    response.cache_control.public = True
    response.cache_control.max_age = 86400
    return response


@bp.get("/embed/legislators/<public_id>")
@embeddable
@cookieless
def embed_legislator(public_id: str) -> Response:
    person = person_or_404(public_id)
    row = data = None
    if request.args.get("scorecard") is not None:
        version: Snapshot | None = legislator_version(person)
    else:
        version = next((snap for snap, _ in headline.ordered(person.id)), None)
    if version is not None:
        data = export_data(version, person_ids=[person.id], with_lifetime=False)
        row = data.rows[0]
    html = render_template(
        "embed/legislator.html",
        person=person,
        data=data,
        row=row,
        page_url=site_url(url_for("public.legislator", public_id=person.public_id)),
        scorecard_url=(
            site_url(url_for("public.scorecard", public_id=version.card.public_id))
            if version is not None
            else None
        ),
    )
    return _page(html)


@bp.get("/embed/find")
@embeddable
@cookieless
def embed_find() -> Response:
    return _page(render_template("embed/find.html", action=find_url()))


@bp.get("/embed/legislators/<public_id>/badge.svg")
@embeddable
@cookieless
def embed_badge(public_id: str) -> Response:
    from tracker.exports import cache
    from tracker.exports.cards import badge_for

    person = person_or_404(public_id)
    version = legislator_version(person)

    def build() -> bytes:
        data = export_data(version, person_ids=[person.id], with_lifetime=False)
        return badge_for(data, data.rows[0])

    key = f"{version.card.public_id}-v{version.version.number}-" + in_language(
        f"badge-{person.public_id}.svg"
    )
    return send(cache.cached(key, build), "svg", localized=True)


@bp.get("/embed/scorecards/<public_id>")
@embeddable
@cookieless
def embed_scorecard(public_id: str) -> Response:
    version = version_or_404(public_id)
    data = export_data(version, with_lifetime=False)
    return _page(
        render_template(
            "embed/scorecard.html",
            data=data,
            page_url=site_url(url_for("public.scorecard", public_id=public_id)),
        )
    )


def _page(html: str) -> Response:
    response = Response(html, mimetype="text/html")
    response.cache_control.public = True
    response.cache_control.max_age = 300
    response.vary.update(("Accept-Language", "Cookie"))  # in the visitor's language
    return response
