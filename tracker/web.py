"""Blueprints, error pages, template helpers and the health check."""

from __future__ import annotations

import re
from typing import Any

from flask import Flask, jsonify, render_template, request
from flask_limiter.errors import RateLimitExceeded
from flask_wtf.csrf import CSRFError
from limits import RateLimitItem
from markupsafe import Markup, escape
from sqlalchemy import select, text
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.exceptions import HTTPException

from scrapers.vocab import BILL_STATUS_NAMES, CHAMBER_NAMES, party_name
from tracker import dataversion, i18n
from tracker.extensions import db
from tracker.methodology import vote_label
from tracker.models import LegislativeSession
from tracker.scoring import display_score
from tracker.settings import current


def init_app(app: Flask) -> None:
    from tracker.admin import bp as admin_bp
    from tracker.api import bp as api_bp
    from tracker.public import bp as public_bp
    from tracker.staff import bp as staff_bp

    app.register_blueprint(public_bp)
    app.register_blueprint(staff_bp, url_prefix="/staff")
    app.register_blueprint(admin_bp, url_prefix="/admin")
    app.register_blueprint(api_bp, url_prefix="/api/v1")

    app.add_url_rule("/healthz", "healthz", healthz)
    app.register_error_handler(HTTPException, handle_http_error)
    app.register_error_handler(CSRFError, handle_csrf_error)
    app.register_error_handler(RateLimitExceeded, handle_rate_limit)
    app.register_error_handler(Exception, handle_unexpected_error)
    app.context_processor(template_globals)
    # Names from scrapers.vocab, in the page's language (tracker.i18n marks them)
    app.jinja_env.filters["party_name"] = party_word
    app.jinja_env.filters["chamber_name"] = chamber_name
    app.jinja_env.filters["status_name"] = status_name
    app.jinja_env.filters["vote_label"] = vote_label  # (option, roll call kind)
    app.jinja_env.filters["percent"] = percent
    app.jinja_env.filters["paragraphs"] = paragraphs
    app.jinja_env.filters["bound_source"] = bound_source_word
    app.jinja_env.globals["display_score"] = display_score  # the one display rounding
    app.jinja_env.globals["score_badge"] = score_badge
    app.jinja_env.globals["score_value"] = score_value
    from tracker.methodology import excused_text

    app.jinja_env.globals["excused_text"] = excused_text  # methodology words: one module
    from tracker import localtime

    localtime.register(app)  # every time shown in Minnesota time
    i18n.register_filters(app)  # ... in the page's language on members' pages
    from tracker.alerts.mailstate import mail_state

    app.jinja_env.globals["mail_state"] = mail_state  # staff pages: can email go out?
    from tracker.pagecache import flashes

    app.jinja_env.globals["flashes"] = flashes  # never inside a cached page body
    from tracker import links

    links.register(app)  # links in bulk: one url_for per request and endpoint


def chamber_name(code: str) -> str:
    """A chamber's name in the page's language (``|chamber_name``)."""
    return i18n.word(CHAMBER_NAMES.get(code, code))


def party_word(code: str | None) -> str:
    """A party's name in the page's language (``|party_name``)."""
    return i18n.word(party_name(code))


def bound_source_word(source: str | None) -> str:
    """Where a term's start or end comes from, in the page's language (``|bound_source``)."""
    from tracker.roster import source_label

    return i18n.word(source_label(source))


def status_name(status: str) -> str:
    """A bill status's name in the page's language (``|status_name``)."""
    return i18n.word(BILL_STATUS_NAMES.get(status, status))


def percent(value: Any) -> str:
    """A fraction as a whole percentage, rounded half up (the display rule)."""
    if value is None:
        return "–"
    shown = display_score(value * 100)
    return i18n.format_share(shown / 100) if shown is not None else "–"


def score_badge(score: Any, grade: str | None = None) -> Markup:
    """A displayed score.  The element showing it carries ``data-score``: the whole
    number shown, or empty for "not enough votes" (tests, scripts and embeds find
    scores by it).  A function, not a macro: a scorecard page shows 201."""
    shown = display_score(score)
    if shown is None:
        words = escape(i18n.gettext("not enough votes"))
        return Markup(  # noqa: S704 - the words are escaped
            '<span class="score-badge" data-score=""><span class="score score-none">'
            f"{words}</span></span>"
        )
    graded = ""
    if grade:
        words = escape(i18n.gettext("grade %(grade)s", grade=grade))
        graded = f' <span class="grade">{words}</span>'
    return Markup(  # noqa: S704 - a whole number and escaped words
        f'<span class="score-badge" data-score="{shown}"><span class="score">{shown}</span>'
        f"{graded}</span>"
    )


def score_value(value: Any, tag: str = "strong", median: str | None = None) -> Markup:
    """A median or lifetime score: the exact value, shown rounded like every score,
    in a ``tag`` element with ``data-score`` (and ``data-median``, the group)."""
    shown = display_score(value) if value is not None else None
    grouped = f' data-median="{escape(median)}"' if median else ""
    return Markup(  # noqa: S704 - the tag is the template's, the rest escaped
        f'<{tag} data-score="{"" if shown is None else shown}"{grouped}>'
        f"{'–' if shown is None else shown}</{tag}>"
    )


URL = re.compile(r"https?://[^\s<>\"']+", re.IGNORECASE)
TRAILING = ".,;:!?)]}"  # after a URL, most likely the sentence's, not the address's


def _linked(text: str) -> str:
    """Escaped ``text`` with each http(s) URL a link to itself (escaped too)."""
    out, start = [], 0
    for found in URL.finditer(text):
        url = found.group(0)
        while (
            url
            and url[-1] in TRAILING
            and not (url[-1] == ")" and url.count("(") >= url.count(")"))
        ):
            url = url[:-1]
        if len(url) <= len("https://"):
            continue
        out.append(str(escape(text[start : found.start()])))
        out.append(f'<a href="{escape(url)}" rel="nofollow">{escape(url)}</a>')
        start = found.start() + len(url)
    out.append(str(escape(text[start:])))
    return "".join(out)


def paragraphs(text: str | None) -> Markup:
    """Staff-written text as HTML: blank lines part paragraphs, single line breaks
    stay, http(s) URLs become links; everything else is escaped."""
    blocks = [b.strip() for b in re.split(r"\n\s*\n", (text or "").replace("\r\n", "\n"))]
    html = "".join(
        "<p>" + "<br>\n".join(_linked(line) for line in block.split("\n")) + "</p>"
        for block in blocks
        if block
    )
    return Markup(html)  # noqa: S704 - built from escaped pieces


def healthz() -> Any:
    try:
        db.session.execute(text("SELECT 1"))
    except SQLAlchemyError as exc:
        db.session.rollback()
        return jsonify(status="error", database=type(exc).__name__), 503
    return jsonify(status="ok", database="ok")


_demo: dataversion.Kept[bool] = dataversion.Kept()


def demo_loaded() -> bool:
    """Whether demo data is loaded (every page says so): asked once per data version."""
    try:
        return _demo.get(
            lambda: (
                db.session.scalar(
                    select(LegislativeSession.id)
                    .where(LegislativeSession.is_demo.is_(True))
                    .limit(1)
                )
                is not None
            )
        )
    except SQLAlchemyError:
        db.session.rollback()
        return False


def template_globals() -> dict[str, Any]:
    settings = current()
    colors = settings.org_colors
    return {
        "org_name": settings.org_name,
        "org_primary": colors[0],
        "org_accent": colors[1] if len(colors) > 1 else colors[0],
        "contact_email": settings.contact_email,
        "demo_loaded": demo_loaded,
        "settings": settings,
    }


def _wants_json() -> bool:
    return request.path.startswith("/api/") or request.path == "/healthz"


def handle_http_error(exc: HTTPException) -> Any:
    code = exc.code or 500
    if _wants_json():
        return jsonify(error=exc.name, message=exc.description, status=code), code
    return render_template("errors/error.html", error=exc, code=code), code


def limit_wording(limit: RateLimitItem) -> str:
    """A rate limit in words: ``5 per 15 minutes`` -> "5 attempts per 15 minutes"."""
    attempts = f"{limit.amount} attempt{'' if limit.amount == 1 else 's'}"
    unit = limit.GRANULARITY.name
    period = unit if limit.multiples == 1 else f"{limit.multiples} {unit}s"
    return f"{attempts} per {period}"


def handle_rate_limit(exc: RateLimitExceeded) -> Any:
    """A limit with no message of its own (sign-in, password reset) says what it is."""
    if not exc.limit.error_message:
        exc.description = (
            f"Too many attempts: the limit is {limit_wording(exc.limit.limit)}. "
            "Wait a while and try again."
        )
    return handle_http_error(exc)


def handle_csrf_error(exc: CSRFError) -> Any:
    db.session.rollback()
    if _wants_json():
        return jsonify(error="Bad Request", message=exc.description, status=400), 400
    return render_template("errors/error.html", error=exc, code=400), 400


def handle_unexpected_error(exc: Exception) -> Any:
    db.session.rollback()
    from flask import current_app

    if current_app.testing and current_app.config.get("PROPAGATE_UNEXPECTED", True):
        raise exc
    current_app.logger.exception("unhandled error on %s", request.path)
    if _wants_json():
        return jsonify(error="Internal Server Error", status=500), 500
    return render_template("errors/500.html"), 500
