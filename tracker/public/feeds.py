"""Feeds for partner sites and members' calendars: RSS, Atom and iCalendar of
published action alerts, and of tagged bills that moved (a new action, a
hearing, a floor vote).

* ``/feeds/alerts.rss|atom|ics`` — published and closed alerts, newest first;
  in the calendar, an alert is an event at its deadline (an all-day event on
  the day it was published when it has none).
* ``/feeds/bills.rss|atom|ics`` — actions of the last ``TRACKER_FEED_DAYS``
  days (default 120) on bills with a published support or oppose position.
* ``/feeds/committees/<id>.ics`` — a committee's hearings;
  ``/feeds/hearings.ics`` — the hearings of every bill with a published
  position; ``/feeds/bills/<session>/<bill>/hearings.ics`` — one such bill's.
  A hearing is one event (its UID stays as it moves; ``SEQUENCE`` counts its
  changes); cancelled hearings stay, ``STATUS:CANCELLED``; a hearing posted
  without a time is an all-day event on its date.

Staff-written text (titles, summaries, rationales) is plain text in every feed,
never markup: Atom says ``type="text"``, and an RSS description, which readers
render as HTML, carries it HTML-escaped.
"""

from __future__ import annotations

import datetime as dt
import html
from dataclasses import dataclass
from typing import Any

from feedgen.feed import FeedGenerator
from flask import abort, make_response, url_for
from icalendar import Calendar, Event
from sqlalchemy import select
from sqlalchemy.orm import selectinload
from werkzeug.wrappers import Response

from scrapers.vocab import CHAMBER_NAMES
from tracker import alerts as alerting
from tracker import localtime
from tracker.extensions import db
from tracker.models import (
    Alert,
    Bill,
    BillAction,
    BillPosition,
    Committee,
    Hearing,
)
from tracker.pagecache import cached_page
from tracker.public import bp
from tracker.settings import current

FORMATS = {"rss": "application/rss+xml", "atom": "application/atom+xml", "ics": "text/calendar"}
MAX_ITEMS = 100


@dataclass
class Item:
    uid: str
    title: str
    link: str
    summary: str
    published: dt.datetime
    updated: dt.datetime
    start: dt.datetime | dt.date  # for the calendar
    category: str


def _base() -> str:
    return current().public_url.rstrip("/")


def _host() -> str:
    return _base().split("://", 1)[-1].split("/", 1)[0] or "localhost"


def _absolute(endpoint: str, **values: Any) -> str:
    return _base() + url_for(endpoint, **values)


def alert_items() -> list[Item]:
    alerts = db.session.scalars(
        select(Alert)
        .where(Alert.status.in_(("published", "closed")))
        .options(selectinload(Alert.bill))
        .order_by(Alert.published_at.desc(), Alert.id.desc())
        .limit(MAX_ITEMS)
    ).all()
    items = []
    for alert in alerts:
        assert alert.published_at is not None
        who = (
            f"members of the {alert.committee} committee"
            if alert.target == "committee"
            else f"{CHAMBER_NAMES[alert.chamber]} members"
        )
        summary = f"{alert.bill.label}: we ask {who} to {alerting.position_text(alert)}."
        if alert.deadline:
            summary += f" Deadline: {localtime.day_and_clock(alert.deadline)}."
        if alert.summary:
            summary += " " + alert.summary
        if alert.status == "closed":
            summary = "Closed. " + summary
        items.append(
            Item(
                uid=f"alert-{alert.public_id}@{_host()}",
                title=alert.title,
                link=_absolute("public.alert_page", public_id=alert.public_id),
                summary=summary,
                published=alert.published_at,
                updated=alert.closed_at or alert.updated_at,
                start=alert.deadline or alert.published_at.date(),
                category="action alert",
            )
        )
    return items


def _movement(action: BillAction) -> str:
    text = f"{action.text} {action.classification or ''}".lower()
    if action.yeas is not None or action.roll_call_text:
        return "floor vote"
    if "hearing" in text or "heard" in text:
        return "hearing"
    return "new action"


def bill_items(today: dt.date | None = None) -> list[Item]:
    today = today or localtime.today()
    days = current().feed_days
    rows = db.session.execute(
        select(BillAction, Bill, BillPosition.published_position)
        .join(Bill, BillAction.bill_id == Bill.id)
        .join(BillPosition, BillPosition.bill_id == Bill.id)
        .where(
            BillPosition.published_position.in_(("support", "oppose")),
            BillAction.date.is_not(None),
            BillAction.date <= today,
            BillAction.date >= today - dt.timedelta(days=days),
            BillAction.missing_from_source.is_(False),
        )
        .options(selectinload(Bill.session))
        .order_by(BillAction.date.desc(), BillAction.id.desc())
        .limit(MAX_ITEMS)
    ).all()
    items = []
    for action, bill, position in rows:
        assert action.date is not None  # the query leaves out actions without a date
        kind = _movement(action)
        moment = dt.datetime.combine(action.date, dt.time(12), tzinfo=dt.UTC)
        tally = f" ({action.yeas}–{action.nays})" if action.yeas is not None else ""
        committee = f" {action.committee}" if action.committee else ""
        items.append(
            Item(
                uid=f"bill-action-{action.id}@{_host()}",
                title=f"{bill.label} ({kind}): {action.text}{committee}{tally}"[:300],
                link=_absolute("public.bill", session=bill.session.identifier, bill=bill.key),
                summary=f"{bill.label}, {bill.title}. We {position} this bill. "
                f"{CHAMBER_NAMES.get(action.chamber, action.chamber)}: {action.text}"
                f"{committee}{tally}.",
                published=moment,
                updated=moment,
                start=action.date,
                category=kind,
            )
        )
    return items


def _feed(
    items: list[Item], fmt: str, *, title: str, description: str, endpoint: str, page: str
) -> Response:
    if fmt not in FORMATS:
        abort(404, description="Feeds come as .rss, .atom or .ics.")
    if fmt == "ics":
        body = _calendar(items, title)
    else:
        fg = FeedGenerator()
        fg.id(_absolute(endpoint, fmt=fmt))
        fg.title(f"{title} · {current().org_name}")
        fg.description(description)
        fg.subtitle(description)
        fg.link(href=_base() + page, rel="alternate")
        fg.link(href=_absolute(endpoint, fmt=fmt), rel="self")
        fg.language("en")
        fg.updated(max((i.updated for i in items), default=dt.datetime(2000, 1, 1, tzinfo=dt.UTC)))
        for item in items:
            entry = fg.add_entry(order="append")
            entry.id(item.uid)
            entry.guid(item.uid, permalink=False)
            entry.title(item.title)
            entry.link(href=item.link)
            if fmt == "rss":  # readers render an RSS description as HTML: escape it
                entry.description(html.escape(item.summary, quote=False))
            else:
                entry.content(item.summary, type="text")
            entry.published(item.published)
            entry.updated(item.updated)
            entry.category(term=item.category)
        body = fg.rss_str(pretty=True) if fmt == "rss" else fg.atom_str(pretty=True)
    response = make_response(body)
    response.headers["Content-Type"] = f"{FORMATS[fmt]}; charset=utf-8"
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.cache_control.public = True
    response.cache_control.max_age = 300
    return response


def _calendar(items: list[Item], title: str) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//mn-tracker//vote pressure//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", f"{title} · {current().org_name}")
    stamp = max((i.updated for i in items), default=dt.datetime(2000, 1, 1, tzinfo=dt.UTC))
    for item in items:
        event = Event()
        event.add("uid", item.uid)
        event.add("dtstamp", stamp)
        event.add("summary", item.title)
        event.add("description", f"{item.summary}\n{item.link}")
        event.add("url", item.link)
        event.add("categories", [item.category])
        event.add("dtstart", item.start)
        if isinstance(item.start, dt.datetime):
            event.add("dtend", item.start + dt.timedelta(minutes=30))
        else:
            event.add("dtend", item.start + dt.timedelta(days=1))
        calendar.add_component(event)
    ical: bytes = calendar.to_ical()  # icalendar ships no type information
    return ical


@bp.get("/feeds/alerts.<fmt>")
@cached_page
def feed_alerts(fmt: str) -> Response:
    return _feed(
        alert_items(),
        fmt,
        title="Action alerts",
        description="Calls to action before the votes we score.",
        endpoint="public.feed_alerts",
        page=url_for("public.alerts"),
    )


@bp.get("/feeds/bills.<fmt>")
@cached_page
def feed_bills(fmt: str) -> Response:
    return _feed(
        bill_items(),
        fmt,
        title="Our bills on the move",
        description="New actions, hearings and floor votes on the bills we support or oppose.",
        endpoint="public.feed_bills",
        page=url_for("public.bills"),
    )


# ---------------------------------------------------------------- hearing calendars

HEARING_FEED_DAYS = 60  # past hearings a committee's calendar keeps
_SEQUENCED = ("moved", "room", "date", "cancelled", "reinstated", "missing", "back")


def _hearing_event(hearing: Hearing) -> Event:
    from tracker import committees

    event = Event()
    event.add("uid", f"hearing-{hearing.public_id}@{_host()}")
    changes = [c for c in hearing.changes if c.kind in _SEQUENCED]
    stamp = max([hearing.created_at, *(c.seen_at for c in changes)])
    event.add("dtstamp", stamp)
    event.add("sequence", len(changes))
    bills = ", ".join(b.label for b in hearing.bills)
    name = hearing.committee.name if hearing.committee else hearing.committee_name
    title = (
        f"{CHAMBER_NAMES.get(hearing.chamber, hearing.chamber)} {name}"
        + (f": {bills}" if bills else "")
        + (" (cancelled)" if hearing.cancelled else "")
    )
    event.add("summary", title[:300])
    if hearing.starts_at is not None:
        event.add("dtstart", hearing.starts_at)  # no end is published: none is invented
    else:
        event.add("dtstart", hearing.date)
        event.add("dtend", hearing.date + dt.timedelta(days=1))
    if hearing.room:
        event.add("location", hearing.room)
    if hearing.cancelled:
        event.add("status", "CANCELLED")
    elif hearing.missing_from_source or hearing.starts_at is None:
        event.add("status", "TENTATIVE")
    else:
        event.add("status", "CONFIRMED")
    link = (
        _absolute("public.committee_page", public_id=hearing.committee.public_id)
        if hearing.committee
        else hearing.source_url
    )
    notes = []
    if hearing.starts_at is None:
        notes.append(
            "No time posted" + (f": {hearing.time_note}" if hearing.time_note else "") + "."
        )
    if hearing.missing_from_source:
        notes.append("No longer on the schedule; it may have moved to another day.")
    if hearing.agenda:
        notes.append(hearing.agenda)
    for row in hearing.bills:
        if row.bill is not None:
            notes.append(
                f"{row.label}: "
                + _absolute("public.bill", session=row.bill.session.identifier, bill=row.bill.key)
            )
    notes.append(f"Schedule: {hearing.source_url}")
    event.add("description", "\n".join([*notes, link]))
    event.add("url", link)
    event.add("categories", ["hearing", committees.committee_key(name)])
    return event


def hearing_calendar(rows: list[Hearing], title: str) -> Response:
    calendar = Calendar()
    calendar.add("prodid", "-//mn-tracker//hearings//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", f"{title} · {current().org_name}")
    calendar.add("x-wr-timezone", "America/Chicago")
    for hearing in rows:
        calendar.add_component(_hearing_event(hearing))
    response = make_response(calendar.to_ical())
    response.headers["Content-Type"] = f"{FORMATS['ics']}; charset=utf-8"
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.cache_control.public = True
    response.cache_control.max_age = 300
    return response


@bp.get("/feeds/committees/<public_id>.ics")
@cached_page
def feed_committee_hearings(public_id: str) -> Response:
    from tracker import hearings

    committee = db.session.scalar(select(Committee).where(Committee.public_id == public_id[:64]))
    if committee is None:
        abort(404, description="No committee has that id.")
    since = localtime.today() - dt.timedelta(days=HEARING_FEED_DAYS)
    rows = [h for h in hearings.of_committee(committee) if h.date >= since]
    chamber = CHAMBER_NAMES.get(committee.chamber, committee.chamber)
    return hearing_calendar(rows, f"{chamber} {committee.name} hearings")


def _positioned_bill_ids() -> list[int]:
    return list(
        db.session.scalars(
            select(BillPosition.bill_id).where(
                BillPosition.published_position.in_(("support", "oppose"))
            )
        )
    )


@bp.get("/feeds/hearings.ics")
@cached_page
def feed_hearings() -> Response:
    """The hearings of every bill the organization has a published position on."""
    from tracker import hearings

    return hearing_calendar(hearings.of_bills(_positioned_bill_ids()), "Hearings on our bills")


@bp.get("/feeds/bills/<session>/<bill>/hearings.ics")
@cached_page
def feed_bill_hearings(session: str, bill: str) -> Response:
    """One bill's hearings, for a bill with a published position."""
    from tracker import hearings
    from tracker.public.views import bill_or_404

    row = bill_or_404(session, bill)
    if row.id not in _positioned_bill_ids():
        abort(404, description="We publish hearing calendars for the bills we take a position on.")
    return hearing_calendar(hearings.of_bills([row.id]), f"{row.label} hearings")
