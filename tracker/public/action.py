"""Take action: published alerts, where each targeted legislator stands, the
call script and a prefilled email, "I called" / "I emailed" tallies, email
sign-up with double opt-in, one-click unsubscribe, and the pressure report.

Everything works without JavaScript.  Addresses are POSTed, looked up and
forgotten (the page redirects to the district); tallies keep no personal
data: a signed random cookie makes one browser count an action once, and
Flask-Limiter refuses bursts per browser and per network address.
"""

from __future__ import annotations

from typing import Any

from flask import abort, make_response, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_limiter.util import get_remote_address
from sqlalchemy import select
from werkzeug.wrappers import Response

from tracker import alerts as alerting
from tracker import committees, i18n, localtime, lookup
from tracker.exports import cache
from tracker.extensions import csrf, db, limiter
from tracker.i18n import N_
from tracker.models import Alert, AlertTarget, Person
from tracker.models.common import utcnow
from tracker.public import bp
from tracker.public.downloads import in_language
from tracker.settings import current

BURST_MESSAGE = N_(
    "That is more clicks than one person makes: actions from this browser or "
    "network are paused for a while. Nothing extra was counted. Thank you for "
    "taking action!"
)
SIGNUP_MESSAGE = N_(
    "Too many sign-ups from here in the last hour; try again later. Nothing was changed."
)


def burst_message() -> str:
    """Flask-Limiter's message for a burst of clicks, in the page's language."""
    return gettext(BURST_MESSAGE)


def signup_message() -> str:
    """Flask-Limiter's message for a flood of sign-ups, in the page's language."""
    return gettext(SIGNUP_MESSAGE)


def _browser_limit() -> str:
    return current().tally_limit_browser


def _address_limit() -> str:
    return current().tally_limit_address


def _signup_limit() -> str:
    return current().signup_limit


def _browser_rate_key() -> str:
    browser = alerting.browser_from_cookie(request.cookies.get(alerting.TALLY_COOKIE))
    return f"tally-browser:{browser or 'none:' + get_remote_address()}"


def _signup_email_key() -> str:
    return "signup:" + (request.form.get("email") or "").strip().lower()[:254]


def _public_alert_or_404(public_id: str) -> Alert:
    alert: Alert | None = db.session.scalar(select(Alert).where(Alert.public_id == public_id[:36]))
    if alert is None or not alert.is_public:
        abort(
            404, description=gettext("There is no such action alert (or it is not published yet).")
        )
    return alert


def _browser() -> tuple[str, str | None]:
    """This browser's random id, and a new signed cookie to set when it sent none."""
    browser = alerting.browser_from_cookie(request.cookies.get(alerting.TALLY_COOKIE))
    if browser is not None:
        return browser, None
    cookie = alerting.new_browser_cookie()
    return str(alerting.browser_from_cookie(cookie)), cookie


def _set_browser_cookie(response: Response, cookie: str | None) -> None:
    if cookie is None:
        return
    response.set_cookie(
        alerting.TALLY_COOKIE,
        cookie,
        max_age=alerting.TALLY_COOKIE_MAX_AGE,
        httponly=True,
        samesite="Lax",
        secure=current().secure_cookies,
        path="/alerts/",
    )


# ---------------------------------------------------------------- pages


@bp.get("/alerts")
def alerts() -> str:
    rows = db.session.scalars(
        select(Alert)
        .where(Alert.status.in_(("published", "closed")))
        .order_by(Alert.published_at.desc(), Alert.id.desc())
    ).all()
    now = utcnow()
    open_alerts = [a for a in rows if alerting.alert_state(a, now) == "open"]
    past = [a for a in rows if a not in open_alerts]
    return render_template("public/alerts.html", open_alerts=open_alerts, past=past)


def _mine(alert: Alert, district: str) -> tuple[list[AlertTarget], dict[str, Any]]:
    """Targets among the member's legislators, and what to tell them."""
    info: dict[str, Any] = {"district": district[:40]}
    try:
        house, senate = lookup.normalize_district(district)
    except lookup.LookupProblem as problem:
        info["problem"] = i18n.word(problem.message)
        return [], info
    info.update(house=house, senate=senate)
    if alert.chamber == "house" and house is None:
        info["problem"] = gettext(
            "This alert is for House members: enter your House "
            "district, with its letter (such as 62A), or your address."
        )
        return [], info
    seated = lookup.legislators_for(house, senate, on=localtime.today())
    mine_ids = {p.id for p in seated.values() if p is not None}
    targets = [t for t in alert.targets if t.person_id in mine_ids]
    if not targets:
        own = seated.get(alert.chamber)
        info["problem"] = (
            gettext(
                "%(name)s is not on the %(committee)s committee; thank you for checking. "
                "Anyone may call the committee's members (listed above), and everyone may "
                "attend the hearing.",
                name=own.name,
                committee=alert.committee,
            )
            if own is not None and alert.target == "committee"
            else gettext(
                "%(name)s is not among the legislators this alert targets; thank you for "
                "checking. Share the alert with friends in the targeted districts.",
                name=own.name,
            )
            if own is not None
            else gettext("We have no record of who holds your seat today.")
        )
    return targets, info


@bp.get("/alerts/<public_id>")
def alert_page(public_id: str) -> Response:
    alert = _public_alert_or_404(public_id)
    state = alerting.alert_state(alert)
    district = (request.args.get("district") or "").strip()
    person_id = (request.args.get("person") or "").strip()
    targets: list[AlertTarget] = []
    info: dict[str, Any] = {}
    status = 200
    if district:
        targets, info = _mine(alert, district)
        if info.get("problem") and "house" not in info:
            status = 400
    elif person_id:
        targets = [t for t in alert.targets if t.person.public_id == person_id[:36]]
        if not targets:
            info["problem"] = gettext("That legislator is not targeted by this alert.")
    stances = alerting.stances(alert, targets) if targets else []
    browser, cookie = _browser()
    cards = [
        {
            "stance": s,
            "token": alerting.action_token(alert, s.person, browser),
            "ask": alerting.alert_ask(alert, s.person.id, s.target.chamber),
            "script": alerting.localized_fill(
                "call_script", alert, s.person, s.target.district, s.target.chamber
            ),
            "email_text": alerting.localized_fill(
                "email_template", alert, s.person, s.target.district, s.target.chamber
            ),
            "mailto": alerting.mailto(alert, s.person, s.target.district, s.target.chamber),
        }
        for s in stances
    ]
    report = alerting.pressure_report(alert)
    body = render_template(
        "public/alert.html",
        alert=alert,
        state=state,
        cards=cards,
        info=info,
        report=report,
        ask=alerting.position_text(alert),
        shapes=lookup.shapes_available(),
        thanks=request.args.get("thanks"),
        district=district[:40],
        members=_committee_members(alert),
        hearing=alert.hearing,
        hearing_over=bool(alert.hearing and alert.hearing.date < localtime.today()),
        hearing_moved=bool(
            alert.hearing
            and any(c.kind in ("moved", "room", "date") for c in alert.hearing.changes)
        ),
    )
    response = make_response(body, status)
    response.headers["Cache-Control"] = "no-store"  # tallies move; the cookie is per browser
    _set_browser_cookie(response, cookie)
    return response


def _committee_members(alert: Alert) -> list[tuple[AlertTarget, str]]:
    """A committee alert's targets with their role on the committee, chair first (the
    members anyone may call, whatever their district)."""
    if alert.target != "committee" or alert.committee_id is None:
        return []
    day = alert.hearing.date if alert.hearing is not None else localtime.today(alert.published_at)
    roles = {m.person_id: m.role for m in committees.memberships_on(alert.committee_id, day)}
    return sorted(
        (
            (t, committees.ROLE_NAMES.get(roles.get(t.person_id, ""), "Member"))
            for t in alert.targets
        ),
        key=lambda pair: (
            committees.ROLE_ORDER.get(roles.get(pair[0].person_id, ""), 99),
            pair[0].person.name,
        ),
    )


@bp.post("/alerts/<public_id>/find")
# A lookup that changes nothing, like /find.  (Flask-WTF ships no type information,
# so its decorator is untyped; the same below.)
@csrf.exempt  # type: ignore[untyped-decorator]
def alert_find(public_id: str) -> Response | tuple[str, int]:
    alert = _public_alert_or_404(public_id)
    try:
        found = lookup.lookup_address(request.form.get("address", ""))
    except lookup.GeocoderUnavailable:
        return _problem(
            alert,
            gettext(
                "The address service is not answering right now. "
                "Enter your district instead, or try again in a few "
                "minutes."
            ),
            503,
        )
    except lookup.LookupProblem as problem:
        return _problem(alert, i18n.word(problem.message), 400)
    if not found.matched or not (found.house or found.senate):
        return _problem(
            alert,
            gettext(
                "We could not find the districts of that address. "
                "Check the spelling, add the city and ZIP code, or "
                "enter your district."
            ),
            400,
        )
    # The address is forgotten here: only the district goes into the URL.
    return redirect(
        url_for(
            "public.alert_page",
            public_id=alert.public_id,
            district=found.house or found.senate,
            _anchor="act",
        )
    )


def _problem(alert: Alert, message: str, status: int) -> tuple[str, int]:
    return render_template(
        "public/alert_message.html",
        alert=alert,
        title=gettext("Something went wrong"),
        message=message,
        back=url_for("public.alert_page", public_id=alert.public_id),
    ), status


@bp.post("/alerts/<public_id>/act")
@limiter.limit(_address_limit, methods=["POST"], error_message=burst_message)
@limiter.limit(
    _browser_limit, methods=["POST"], key_func=_browser_rate_key, error_message=burst_message
)
def alert_act(public_id: str) -> Response | tuple[str, int]:
    alert = _public_alert_or_404(public_id)
    browser = alerting.browser_from_cookie(request.cookies.get(alerting.TALLY_COOKIE))
    district = (request.form.get("district") or "")[:40]
    back = url_for(
        "public.alert_page", public_id=alert.public_id, district=district or None, _anchor="act"
    )
    if browser is None:
        return make_response(
            render_template(
                "public/alert_message.html",
                alert=alert,
                title=gettext("Please try again"),
                message=gettext(
                    "Your browser did not send back our counting cookie (it holds "
                    "only a random number, so each action is counted once). Allow "
                    "cookies for this site, open the alert's page again and press "
                    "the button there."
                ),
                back=back,
            ),
            400,
        )
    person = db.session.scalar(
        select(Person).where(Person.public_id == (request.form.get("person") or "")[:36])
    )
    if person is None:
        return _problem(
            alert, gettext("That legislator is not in the tracker; reload the page."), 400
        )
    try:
        counted = alerting.record_action(
            alert,
            person,
            request.form.get("kind", ""),
            browser,
            token=request.form.get("token", ""),
            address=get_remote_address(),
        )
    except alerting.PressureError as exc:
        db.session.rollback()
        return _problem(
            alert,
            str(exc),
            409 if alert.status != "published" or alerting.alert_state(alert) != "open" else 400,
        )
    return redirect(
        url_for(
            "public.alert_page",
            public_id=alert.public_id,
            district=district or None,
            person=None if district else person.public_id,
            thanks=counted,
            _anchor="act",
        )
    )


# ---------------------------------------------------------------- report downloads


@bp.get("/alerts/<public_id>/report.csv")
def alert_report_csv(public_id: str) -> Response:
    alert = _public_alert_or_404(public_id)
    report = alerting.pressure_report(alert)
    response = make_response(alerting.report_csv(report))
    response.mimetype = "text/csv"
    response.headers["Content-Disposition"] = (
        f'attachment; filename="pressure-report-{alert.bill.key}-{alert.public_id[:8]}.csv"'
    )
    return response


@bp.get("/alerts/<public_id>/report.<fmt>")
def alert_report_chart(public_id: str, fmt: str) -> Response:
    if fmt not in ("svg", "png"):
        abort(404, description=gettext("Charts come as .svg or .png."))
    alert = _public_alert_or_404(public_id)
    # Kept in the export cache until the data version moves (a tally, a verified
    # vote): every view of a report asks for it, and matplotlib takes a tenth of a
    # second to draw it.
    data = cache.cached(
        in_language(f"report-{alert.public_id}.{fmt}"),
        lambda: alerting.report_chart(alerting.pressure_report(alert), fmt),
        namespace="alerts",
    )
    response = make_response(data)
    response.mimetype = "image/svg+xml" if fmt == "svg" else "image/png"
    return response


# ---------------------------------------------------------------- subscriptions


def _districts_from_form() -> tuple[str | None, str | None]:
    address = (request.form.get("address") or "").strip()
    district = (request.form.get("district") or "").strip()
    if district:
        return lookup.normalize_district(district)
    if address:
        try:
            found = lookup.lookup_address(address)  # used once, never stored
        except lookup.GeocoderUnavailable:
            raise lookup.LookupProblem(
                gettext("The address service is not answering; enter your district instead.")
            ) from None
        if not found.matched or not (found.house or found.senate):
            raise lookup.LookupProblem(
                gettext(
                    "We could not find the districts of that address; enter your district instead."
                )
            )
        return found.house, found.senate
    raise lookup.LookupProblem(gettext("Enter your district (such as 62A) or your address."))


@bp.route("/alerts/subscribe", methods=["GET", "POST"])
@limiter.limit(_signup_limit, methods=["POST"], error_message=signup_message)
@limiter.limit(
    _signup_limit, methods=["POST"], key_func=_signup_email_key, error_message=signup_message
)
def alert_subscribe() -> tuple[str, int]:
    if request.method == "GET":
        return render_template(
            "public/alert_subscribe.html", district=(request.args.get("district") or "")[:40]
        ), 200
    email = (request.form.get("email") or "")[:300]
    try:
        house, senate = _districts_from_form()
        # the emails come in the language of the page the member signed up on
        alerting.subscribe(email, house, senate, language=i18n.current())
    except lookup.LookupProblem as problem:
        db.session.rollback()
        return render_template(
            "public/alert_subscribe.html",
            problem=i18n.word(problem.message),
            email=email,
            district=(request.form.get("district") or "")[:40],
        ), 400
    except alerting.PressureError as exc:
        db.session.rollback()
        return render_template(
            "public/alert_subscribe.html",
            problem=str(exc),
            email=email,
            district=(request.form.get("district") or "")[:40],
        ), 400
    db.session.commit()
    if not alerting.mail_state().ok:
        return render_template(
            "public/alert_message.html",
            alert=None,
            title=gettext("You are signed up"),
            message=gettext(
                "We saved your sign-up. %(note)s The confirmation link will come "
                "to that address then; alerts start once you confirm.",
                note=alerting.mail_state().member_note,
            ),
            back=url_for("public.alerts"),
        ), 200
    return render_template(
        "public/alert_message.html",
        alert=None,
        title=gettext("Check your inbox"),
        message=gettext(
            "We sent a confirmation link to that address (if "
            "you signed up before, we sent it again, at most "
            "every ten minutes). Alerts start once you "
            "confirm. It can take a few minutes to arrive."
        ),
        back=url_for("public.alerts"),
    ), 200


@bp.route("/alerts/confirm/<token>", methods=["GET", "POST"])
def alert_confirm(token: str) -> tuple[str, int]:
    try:
        subscriber, house, senate = alerting.read_confirm_token(token[:1000])
    except alerting.PressureError as exc:
        return render_template(
            "public/alert_message.html",
            alert=None,
            title=gettext("That link does not work"),
            message=str(exc),
            back=url_for("public.alert_subscribe"),
        ), 400
    if request.method == "GET":  # link checkers fetch links: confirming needs a button
        return render_template(
            "public/alert_confirm.html",
            house=house,
            senate=senate,
            token=token,
            email=subscriber.email,
        ), 200
    alerting.confirm(subscriber, house, senate)
    db.session.commit()
    if house and senate:
        message = gettext(
            "You will get action alerts for House district %(house)s and Senate "
            "district %(senate)s. Every email has a one-click unsubscribe link.",
            house=house,
            senate=senate,
        )
    elif house:
        message = gettext(
            "You will get action alerts for House district %(house)s. Every "
            "email has a one-click unsubscribe link.",
            house=house,
        )
    else:
        message = gettext(
            "You will get action alerts for Senate district %(senate)s. Every "
            "email has a one-click unsubscribe link.",
            senate=senate,
        )
    return render_template(
        "public/alert_message.html",
        alert=None,
        title=gettext("You're subscribed"),
        message=message,
        back=url_for("public.alerts"),
    ), 200


@bp.route("/alerts/unsubscribe/<token>", methods=["GET", "POST"])
# RFC 8058 one-click: mail providers POST here without a form.
@csrf.exempt  # type: ignore[untyped-decorator]
def alert_unsubscribe(token: str) -> tuple[str, int]:
    try:
        subscriber = alerting.read_unsubscribe_token(token[:1000])
    except alerting.PressureError as exc:
        return render_template(
            "public/alert_message.html",
            alert=None,
            title=gettext("That link does not work"),
            message=str(exc),
            back=url_for("public.alerts"),
        ), 400
    if request.method == "GET":  # scanners prefetch links: unsubscribing needs a POST
        return render_template(
            "public/alert_unsubscribe.html",
            token=token,
            unsubscribed=subscriber.unsubscribed_at is not None,
        ), 200
    alerting.unsubscribe(subscriber)
    db.session.commit()
    return render_template(
        "public/alert_message.html",
        alert=None,
        title=gettext("Unsubscribed"),
        message=gettext(
            "You will get no more alert emails from us. Changed "
            "your mind? Sign up again at any time."
        ),
        back=url_for("public.alerts"),
    ), 200
