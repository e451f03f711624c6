"""Follow a bill, a legislator or a district by email, without an account; the
manage page and one-click unfollowing; the per-bill and per-legislator feeds.

* ``POST /follow`` - the form on bill, legislator, district and lookup pages
  (``templates/public/_follow_form.html``).  Those pages are cached for every
  visitor, so the form carries no CSRF token and the endpoint is exempt: it only
  queues a confirmation email (double opt-in), nothing changes until the link in
  it is followed, and floods are refused per network address and per email
  address (``TRACKER_SIGNUP_LIMIT``, counted across workers as alert sign-ups
  are).  ``GET /follow`` shows the same form on a page of its own.
* ``/follow/confirm/<token>`` - a GET shows a button (link scanners fetch links
  and must not confirm); the POST confirms.
* ``/follow/manage/<token>`` - the address's follows: change how often, unfollow
  one, unfollow everything (CSRF-protected forms).
* ``/follow/stop/<token>`` and ``/follow/stop-all/<token>`` - RFC 8058 one-click:
  mail providers POST there without a form, so no CSRF token; a GET shows a button.

Bad or forged links get the "that link does not work" page (400), as alert links
do; an unknown bill, legislator or follow is a 404.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from feedgen.feed import FeedGenerator
from flask import abort, make_response, render_template, request, url_for
from flask_babel import gettext
from sqlalchemy import select
from werkzeug.wrappers import Response

from tracker import alerts as alerting
from tracker import follows, hearings, i18n, localtime
from tracker.alerts.common import public_urls
from tracker.committees import member_on_clause
from tracker.extensions import csrf, db, limiter
from tracker.follows.signup import links
from tracker.models import Committee, CommitteeMembership, Follow, Person
from tracker.models.follows import FREQUENCIES
from tracker.pagecache import cached_page
from tracker.public import bp
from tracker.public.action import _signup_email_key, _signup_limit, signup_message
from tracker.public.feeds import HEARING_FEED_DAYS, hearing_calendar
from tracker.public.views import bill_or_404
from tracker.settings import current

ATOM = "application/atom+xml"


def _message(
    title: str, message: str, status: int = 200, back: str | None = None
) -> tuple[str, int]:
    return render_template(
        "public/follow_message.html", title=title, message=message, back=back
    ), status


def _bad_link(exc: Exception) -> tuple[str, int]:
    return _message(gettext("That link does not work"), str(exc), 400)


def _frequency(value: str | None) -> str:
    return value if value in FREQUENCIES else "immediate"


# ---------------------------------------------------------------- following


@bp.route("/follow", methods=["GET", "POST"])
@csrf.exempt  # type: ignore[untyped-decorator]  # the form sits on cached pages (docstring)
@limiter.limit(_signup_limit, methods=["POST"], error_message=signup_message)
@limiter.limit(
    _signup_limit, methods=["POST"], key_func=_signup_email_key, error_message=signup_message
)
def follow() -> tuple[str, int]:
    posted = request.method == "POST"
    source = request.form if posted else request.args
    what = (source.get("what") or "").strip()[:120]
    district = (source.get("district") or "").strip()[:40]
    if not what and district:
        what = f"district:{district}"
    email = (source.get("email") or "")[:300]
    frequency = _frequency(source.get("frequency"))

    def page(
        status: int, problem: str | None = None, target: follows.Target | None = None
    ) -> tuple[str, int]:
        return render_template(
            "public/follow_start.html",
            target=target,
            email=email,
            frequency=frequency,
            district=district,
            problem=problem,
        ), status

    try:
        target = follows.parse(what) if what else None
    except follows.TargetProblem as exc:
        return page(400, str(exc))
    if what and target is None:
        abort(404, description=gettext("There is no such bill or legislator to follow."))
    if not posted:
        return page(200, target=target)
    if target is None:
        return page(
            400,
            gettext(
                "Say what to follow: a district such as 62A, or use the form "
                "on a bill's or a legislator's page."
            ),
        )
    try:
        # the emails come in the language of the page the member signed up on
        follows.request_follow(email, target, frequency, language=i18n.current())
    except alerting.PressureError as exc:
        db.session.rollback()
        return page(400, str(exc), target)
    db.session.commit()
    if not alerting.mail_state().ok:
        return _message(
            gettext("You are signed up"),
            gettext(
                "We saved your request to follow %(name)s. %(note)s The confirmation link will "
                "come to that address then; nothing is sent until you confirm.",
                name=target.label,
                note=alerting.mail_state().member_note,
            ),
        )
    return _message(
        gettext("Check your inbox"),
        gettext(
            "We sent a link to that address to confirm that you want to follow %(name)s (if you "
            "asked before, we sent it again, at most every ten minutes). Nothing is sent until "
            "you confirm. It can take a few minutes to arrive.",
            name=target.label,
        ),
    )


@bp.route("/follow/confirm/<token>", methods=["GET", "POST"])
def follow_confirm(token: str) -> tuple[str, int]:
    try:
        found, frequency = follows.read_confirm_token(token[:1000])
    except alerting.PressureError as exc:
        return _bad_link(exc)
    name = follows.label(found)
    if request.method == "GET":  # link checkers fetch links: confirming needs a button
        return render_template(
            "public/follow_confirm.html",
            token=token,
            label=name,
            email=found.subscriber.email,
            frequency=i18n.word(follows.FREQUENCY_WORDS[frequency]),
        ), 200
    follows.confirm(found, frequency)
    db.session.commit()
    with public_urls():
        manage = links(found.subscriber)["manage_url"]
    return render_template(
        "public/follow_message.html",
        title=gettext("You're following"),
        message=gettext(
            "You follow %(name)s (%(frequency)s). Every email "
            "has a link to stop it, and one to see and change "
            "everything you follow.",
            name=name,
            frequency=i18n.word(follows.FREQUENCY_WORDS[frequency]),
        ),
        manage_url=manage,
        back=None,
    ), 200


# ---------------------------------------------------------------- managing


@bp.route("/follow/manage/<token>", methods=["GET", "POST"])
def follow_manage(token: str) -> tuple[str, int]:
    try:
        subscriber = follows.read_manage_token(token[:1000])
    except alerting.PressureError as exc:
        return _bad_link(exc)
    notice = None
    if request.method == "POST":
        action = request.form.get("action", "")
        if action == "stop_all":
            stopped = follows.stop_all(subscriber)
            notice = gettext(
                "You follow nothing now (%(num)s stopped). No more follow emails.", num=stopped
            )
        else:
            follow_id = request.form.get("follow", "")
            row = db.session.get(Follow, int(follow_id)) if follow_id.isdigit() else None
            if row is None or row.subscriber_id != subscriber.id or row.status == "stopped":
                abort(404, description=gettext("You follow nothing with that number."))
            if action == "stop":
                follows.stop(row)
                notice = gettext("You no longer follow %(name)s.", name=follows.label(row))
            elif action == "frequency":
                try:
                    follows.change_frequency(row, request.form.get("frequency", ""))
                except alerting.PressureError as exc:
                    abort(400, description=str(exc))
                notice = gettext(
                    "You now get %(name)s %(frequency)s.",
                    name=follows.label(row),
                    frequency=i18n.word(follows.FREQUENCY_WORDS[row.frequency]),
                )
            else:
                abort(400, description=gettext("Choose what to change."))
        db.session.commit()
    return render_template(
        "public/follow_manage.html",
        token=token,
        email=subscriber.email,
        rows=[(f, follows.label(f)) for f in follows.follows_of(subscriber)],
        words=follows.FREQUENCY_WORDS,
        notice=notice,
    ), 200


@bp.route("/follow/stop/<token>", methods=["GET", "POST"])
# RFC 8058 one-click: mail providers POST here without a form.
@csrf.exempt  # type: ignore[untyped-decorator]
def follow_stop(token: str) -> tuple[str, int]:
    try:
        found = follows.read_stop_token(token[:1000])
    except alerting.PressureError as exc:
        return _bad_link(exc)
    name = follows.label(found)
    if request.method == "GET":  # scanners prefetch links: stopping needs a POST
        return render_template(
            "public/follow_stop.html",
            label=name,
            action=url_for("public.follow_stop", token=token),
            stopped=found.status == "stopped",
        ), 200
    follows.stop(found)
    db.session.commit()
    return _message(
        gettext("Unfollowed"),
        gettext(
            "You no longer follow %(name)s. Changed your mind? Follow it again from its page at "
            "any time.",
            name=name,
        ),
    )


@bp.route("/follow/stop-all/<token>", methods=["GET", "POST"])
# RFC 8058 one-click: mail providers POST here without a form.
@csrf.exempt  # type: ignore[untyped-decorator]
def follow_stop_all(token: str) -> tuple[str, int]:
    try:
        subscriber = follows.read_stop_all_token(token[:1000])
    except alerting.PressureError as exc:
        return _bad_link(exc)
    if request.method == "GET":
        return render_template(
            "public/follow_stop.html",
            label=None,
            action=url_for("public.follow_stop_all", token=token),
            stopped=not follows.follows_of(subscriber),
        ), 200
    follows.stop_all(subscriber)
    db.session.commit()
    return _message(
        gettext("Unfollowed everything"),
        gettext("You follow nothing now, and we will send no more follow emails to this address."),
    )


# ---------------------------------------------------------------- feeds


def _person_or_404(public_id: str) -> Person:
    person: Person | None = db.session.scalar(
        select(Person).where(Person.public_id == public_id[:36])
    )
    if person is None:
        abort(404, description=gettext("No legislator has that id."))
    return person


def _atom(
    items: list[tuple[Any, follows.Line]], *, title: str, subtitle: str, page: str, self_url: str
) -> Response:
    base = current().public_url.rstrip("/")
    host = base.split("://", 1)[-1].split("/", 1)[0] or "localhost"
    fg = FeedGenerator()
    fg.id(self_url)
    fg.title(f"{title} · {current().org_name}")
    fg.subtitle(subtitle)
    fg.link(href=page, rel="alternate")
    fg.link(href=self_url, rel="self")
    fg.language(i18n.current())
    fg.updated(
        max((event.found_at for event, _ in items), default=dt.datetime(2000, 1, 1, tzinfo=dt.UTC))
    )
    for event, line in items:
        entry = fg.add_entry(order="append")
        entry.id(f"tag:{host},follow:{event.key}")
        entry.title(line.subject)
        entry.link(href=line.link)
        entry.content(line.text, type="text")
        entry.published(event.found_at)
        entry.updated(event.found_at)
        entry.category(term=event.kind)
    response = make_response(fg.atom_str(pretty=True))
    response.headers["Content-Type"] = f"{ATOM}; charset=utf-8"
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.cache_control.public = True
    response.cache_control.max_age = 300
    return response


@bp.get("/feeds/bills/<session>/<bill>.<fmt>")
@cached_page
def feed_bill(session: str, bill: str, fmt: str) -> Response:
    """A bill's news (status, hearings, roll calls, its companion's too) as Atom; its
    hearings (and its companion's) as iCalendar."""
    row = bill_or_404(session, bill)
    if fmt == "ics":
        ids = [row.id] + ([row.companion_id] if row.companion_id else [])
        return hearing_calendar(
            hearings.of_bills(ids), gettext("%(bill)s hearings", bill=row.label)
        )
    if fmt != "atom":
        abort(404, description=gettext("Bill feeds come as .atom or .ics."))
    with public_urls():
        items = follows.bill_events(row)
        page = url_for("public.bill", session=row.session.identifier, bill=row.key, _external=True)
        self_url = url_for(
            "public.feed_bill",
            session=row.session.identifier,
            bill=row.key,
            fmt="atom",
            _external=True,
        )
    return _atom(
        items,
        title=f"{row.label} ({row.session.identifier})",
        subtitle=gettext(
            "%(bill)s, %(title)s: status changes, hearings and verified roll calls.",
            bill=row.label,
            title=row.title[:200],
        ),
        page=page,
        self_url=self_url,
    )


@bp.get("/feeds/legislators/<public_id>.<fmt>")
@cached_page
def feed_legislator(public_id: str, fmt: str) -> Response:
    """A legislator's votes on bills with a published position, published scores and the
    alerts that target them, as Atom; the hearings of their committees as iCalendar."""
    person = _person_or_404(public_id)
    if fmt == "ics":
        today = localtime.today()
        committee_ids = db.session.scalars(
            select(CommitteeMembership.committee_id)
            .where(
                CommitteeMembership.person_id == person.id,
                member_on_clause(CommitteeMembership, today),
            )
            .distinct()
        ).all()
        since = today - dt.timedelta(days=HEARING_FEED_DAYS)
        rows = [
            h
            for committee in db.session.scalars(
                select(Committee).where(Committee.id.in_(committee_ids))
            )
            for h in hearings.of_committee(committee)
            if h.date >= since
        ]
        rows.sort(key=hearings.order_key)
        return hearing_calendar(
            rows, gettext("Hearings of %(name)s's committees", name=person.name)
        )
    if fmt != "atom":
        abort(404, description=gettext("Legislator feeds come as .atom or .ics."))
    with public_urls():
        items = follows.person_events(person)
        page = url_for("public.legislator", public_id=person.public_id, _external=True)
        self_url = url_for(
            "public.feed_legislator", public_id=person.public_id, fmt="atom", _external=True
        )
    return _atom(
        items,
        title=person.name,
        subtitle=gettext(
            "How %(name)s votes on the bills %(org)s takes a position "
            "on, their published scores, and action alerts that target "
            "them.",
            name=person.name,
            org=current().org_name,
        ),
        page=page,
        self_url=self_url,
    )
