"""Follow emails: one per event for "as it happens" follows, one digest per day
or week for the others, queued in the outbox at most once.

Each email is an ``OutboxMessage`` with a ``dedupe_key`` - ``event:<subscriber>:
<event>`` or ``digest:<daily|weekly>:<day>:<subscriber>`` - unique in the table,
so a crash or a second run never queues one twice; the outbox then sends each
at most once (:mod:`tracker.alerts.outbox`).  A follower gets the events found
after their follow was confirmed, and nothing while their address bounces.

Digests cover the events found in the day (or week) that ends at
``TRACKER_FOLLOW_DIGEST_HOUR`` (Minnesota time, default 7 a.m.; weekly ones on
Mondays); a period is built once (``FollowDigest``), at the first run after it
ends, and a run catches up on the last few periods it missed.

Every email is written in its subscriber's language (``Subscriber.language``,
:func:`tracker.i18n.speaking`): the events' lines are worded once per language
a batch needs.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from flask import render_template
from flask_babel import gettext, ngettext
from sqlalchemy import insert, select

from tracker import i18n, localtime
from tracker.alerts.common import external, message_row, public_urls
from tracker.extensions import db
from tracker.follows import events as scanning
from tracker.follows.lines import Line, audiences
from tracker.follows.signup import FREQUENCY_WORDS, manage_token, stop_all_token, stop_token
from tracker.follows.targets import district_label
from tracker.models import Bill, Follow, LegislativeSession, OutboxMessage, Person, Subscriber
from tracker.models.common import utcnow
from tracker.models.follows import FollowDigest, FollowEvent
from tracker.settings import current

CHUNK = 500
CATCH_UP = {"daily": 3, "weekly": 2}  # periods a run looks back for digests it missed
PERIOD_DAYS = {"daily": 1, "weekly": 7}


@dataclass(frozen=True)
class Recipient:
    """An active follow, as delivery reads it."""

    follow_id: int
    subscriber_id: int
    target_key: str
    label: str
    confirmed_at: dt.datetime
    chamber: str | None = None  # a district follow's seat: its label is worded per language
    district: str | None = None

    @property
    def shown(self) -> str:
        """The label in the language being rendered."""
        if self.district:
            return district_label(self.chamber or "", self.district)
        return self.label


def _chunks(items: Sequence[Any], size: int = CHUNK) -> Iterable[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def recipients(keys: Iterable[str], frequency: str) -> dict[str, list[Recipient]]:
    """Active follows of ``frequency`` on these target keys, by key (bounced
    addresses left out)."""
    rows: list[Any] = []
    for chunk in _chunks(sorted(set(keys))):
        rows += db.session.execute(
            select(
                Follow.id,
                Follow.subscriber_id,
                Follow.target_key,
                Follow.kind,
                Follow.bill_id,
                Follow.person_id,
                Follow.chamber,
                Follow.district,
                Follow.confirmed_at,
            )
            .join(Subscriber, Follow.subscriber_id == Subscriber.id)
            .where(
                Follow.status == "active",
                Follow.frequency == frequency,
                Follow.target_key.in_(chunk),
                Subscriber.bounced_at.is_(None),
            )
        ).all()
    bill_ids = sorted({r.bill_id for r in rows if r.bill_id})
    person_ids = sorted({r.person_id for r in rows if r.person_id})
    bills: dict[int, str] = {}
    for chunk in _chunks(bill_ids):
        for bill_id, bill_type, number, session in db.session.execute(
            select(Bill.id, Bill.bill_type, Bill.number, LegislativeSession.identifier)
            .join(LegislativeSession)
            .where(Bill.id.in_(chunk))
        ):
            bills[bill_id] = f"{bill_type} {number} ({session})"
    people: dict[int, str] = {}
    for chunk in _chunks(person_ids):
        people.update(
            db.session.execute(select(Person.id, Person.name).where(Person.id.in_(chunk))).all()
        )
    found: dict[str, list[Recipient]] = defaultdict(list)
    for r in rows:
        district = None
        if r.kind == "bill":
            name = bills.get(r.bill_id) or gettext("a bill")
        elif r.kind == "legislator":
            name = people.get(r.person_id) or gettext("a legislator")
        else:
            name, district = district_label(r.chamber or "", r.district or ""), r.district
        found[r.target_key].append(
            Recipient(
                r.id, r.subscriber_id, r.target_key, name, r.confirmed_at, r.chamber, district
            )
        )
    return found


class _Links:
    """Signed links, made once per subscriber and follow in a run."""

    def __init__(self) -> None:
        self.by_subscriber: dict[int, dict[str, str]] = {}

    def of(self, subscriber: Subscriber) -> dict[str, str]:
        if subscriber.id not in self.by_subscriber:
            self.by_subscriber[subscriber.id] = {
                "manage_url": external("public.follow_manage", token=manage_token(subscriber)),
                "stop_all_url": external(
                    "public.follow_stop_all", token=stop_all_token(subscriber)
                ),
            }
        return self.by_subscriber[subscriber.id]

    @staticmethod
    def stop(follow_id: int, subscriber: Subscriber) -> str:
        return external("public.follow_stop", token=stop_token(follow_id, subscriber.token_key))


def _subscribers(ids: Iterable[int]) -> dict[int, Subscriber]:
    found: dict[int, Subscriber] = {}
    for chunk in _chunks(sorted(set(ids))):
        found.update(
            (s.id, s)
            for s in db.session.scalars(select(Subscriber).where(Subscriber.id.in_(chunk)))
        )
    return found


class _Told:
    """What each event says to each key (:func:`audiences`), worded once per language."""

    def __init__(self, found: list[FollowEvent]) -> None:
        self.found = found
        with i18n.speaking(i18n.DEFAULT):
            self.by_language = {i18n.DEFAULT: audiences(found)}

    @property
    def keys(self) -> dict[int, dict[str, Line]]:
        """The English lines: which keys each event reaches (the same in any language)."""
        return self.by_language[i18n.DEFAULT]

    def speaking(self, code: str) -> dict[int, dict[str, Line]]:
        if code not in self.by_language:
            with i18n.speaking(code):
                self.by_language[code] = audiences(self.found)
        return self.by_language[code]


def _new_keys(keys: list[str]) -> set[str]:
    """The dedupe keys no outbox message has yet."""
    have: set[str] = set()
    for chunk in _chunks(keys):
        have.update(
            db.session.scalars(
                select(OutboxMessage.dedupe_key).where(OutboxMessage.dedupe_key.in_(chunk))
            )
        )
    return set(keys) - have


def _insert(rows: list[dict[str, Any]]) -> None:
    for chunk in _chunks(rows, 1000):
        db.session.execute(insert(OutboxMessage), list(chunk))


# ---------------------------------------------------------------- as it happens


def queue_immediate(now: dt.datetime | None = None) -> int:
    """One email per (follower, event) for the events found since the last run;
    how many were queued."""
    now = now or utcnow()
    states = scanning.states()
    mark = states.get("immediate")
    last = mark.number if mark is not None and mark.number is not None else 0
    found = list(
        db.session.scalars(
            select(FollowEvent).where(FollowEvent.id > last).order_by(FollowEvent.id)
        )
    )
    if not found:
        return 0
    queued = _queue_events([e for e in found if not e.backfill], now)
    scanning.put(states, "immediate", number=found[-1].id)
    return queued


def _queue_events(found: list[FollowEvent], now: dt.datetime) -> int:
    if not found:
        return 0
    with public_urls():
        told = _Told(found)
        keys = {key for lines in told.keys.values() for key in lines}
        by_key = recipients(keys, "immediate")
        groups: dict[tuple[int, int], list[tuple[Recipient, str]]] = defaultdict(list)
        for event in found:
            for key in told.keys[event.id]:
                for r in by_key.get(key, []):
                    if r.confirmed_at <= event.found_at:
                        groups[(r.subscriber_id, event.id)].append((r, key))
        wanted = _new_keys([f"event:{s}:{e}" for s, e in groups])
        subscribers = _subscribers(s for s, _ in groups)
        links = _Links()
        rows = []
        for (subscriber_id, event_id), items in groups.items():
            key = f"event:{subscriber_id}:{event_id}"
            if key not in wanted:
                continue
            subscriber = subscribers[subscriber_id]
            common = links.of(subscriber)
            follows = {r.follow_id: r for r, _ in items}
            stops = {fid: links.stop(fid, subscriber) for fid in follows}
            code = i18n.code_of(subscriber.language)
            said = told.speaking(code)[event_id]
            lines = list(dict.fromkeys(said[key] for _, key in items))
            with i18n.speaking(code):  # the subscriber's language
                body = render_template(
                    "email/follow_event.txt",
                    lines=lines,
                    follows=[(r.shown, stops[fid]) for fid, r in follows.items()],
                    **common,
                )
            unsubscribe = next(iter(stops.values())) if len(stops) == 1 else common["stop_all_url"]
            row = message_row(subscriber, "event", lines[0].subject, body, unsubscribe, None, now)
            row["dedupe_key"] = key
            rows.append(row)
    _insert(rows)
    return len(rows)


# ---------------------------------------------------------------- digests


def period_bounds(frequency: str, end_day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """The UTC bounds of the period ending at the digest hour of ``end_day``."""
    hour = dt.time(current().follow_digest_hour)
    end = dt.datetime.combine(end_day, hour, tzinfo=localtime.LOCAL)
    start = dt.datetime.combine(
        end_day - dt.timedelta(days=PERIOD_DAYS[frequency]), hour, tzinfo=localtime.LOCAL
    )
    return start.astimezone(dt.UTC), end.astimezone(dt.UTC)


def due_periods(frequency: str, now: dt.datetime, since: dt.datetime | None) -> list[dt.date]:
    """The days whose period of ``frequency`` has ended by ``now`` (the latest and
    the few before it), oldest first, leaving out periods that ended before the
    first scan (``since``)."""
    local = localtime.local(now)
    day = local.date()
    if local.time() < dt.time(current().follow_digest_hour):
        day -= dt.timedelta(days=1)
    if frequency == "weekly":
        day -= dt.timedelta(days=day.weekday())  # the Monday of that week
    days = [day - dt.timedelta(days=PERIOD_DAYS[frequency] * n) for n in range(CATCH_UP[frequency])]
    return sorted(d for d in days if since is None or period_bounds(frequency, d)[1] > since)


def queue_digests(now: dt.datetime | None = None) -> dict[str, int]:
    """Build every digest period that is due and not built; messages queued by
    frequency."""
    now = now or utcnow()
    since = scanning.started()
    counts = {"daily": 0, "weekly": 0}
    if since is None:
        return counts
    for frequency in ("daily", "weekly"):
        for end_day in due_periods(frequency, now, since):
            built = db.session.scalar(
                select(FollowDigest.id).where(
                    FollowDigest.frequency == frequency, FollowDigest.period_end == end_day
                )
            )
            if built is not None:
                continue
            queued = build_digest(frequency, end_day, now)
            db.session.add(
                FollowDigest(frequency=frequency, period_end=end_day, built_at=now, messages=queued)
            )
            counts[frequency] += queued
    db.session.flush()
    return counts


def _period_words(frequency: str, end_day: dt.date) -> str:
    """``the day to 7:00 a.m. CST, December 7, 2026`` (or ``the week to ...``), in the
    language being rendered."""
    end = period_bounds(frequency, end_day)[1]
    if frequency == "daily":
        return gettext(
            "the day to %(time)s, %(day)s", time=i18n.format_clock(end), day=i18n.local_day(end)
        )
    return gettext(
        "the week to %(time)s, %(day)s", time=i18n.format_clock(end), day=i18n.local_day(end)
    )


def _digest_subject(frequency: str, count: int) -> str:
    if frequency == "daily":
        return ngettext(
            "Your daily digest: %(num)d update on what you follow",
            "Your daily digest: %(num)d updates on what you follow",
            count,
        )
    return ngettext(
        "Your weekly digest: %(num)d update on what you follow",
        "Your weekly digest: %(num)d updates on what you follow",
        count,
    )


def build_digest(frequency: str, end_day: dt.date, now: dt.datetime | None = None) -> int:
    """Queue the digests of one period: one email per follower with news; how many."""
    now = now or utcnow()
    start, end = period_bounds(frequency, end_day)
    found = list(
        db.session.scalars(
            select(FollowEvent)
            .where(
                FollowEvent.found_at >= start,
                FollowEvent.found_at < end,
                FollowEvent.backfill.is_(False),
            )
            .order_by(FollowEvent.happened_on, FollowEvent.id)
        )
    )
    if not found:
        return 0
    with public_urls():
        told = _Told(found)
        keys = {key for lines in told.keys.values() for key in lines}
        by_key = recipients(keys, frequency)
        # per subscriber and follow: the (event, key) of each line
        per: dict[int, dict[int, list[tuple[int, str]]]] = defaultdict(lambda: defaultdict(list))
        follows: dict[int, Recipient] = {}
        for event in found:
            for key in told.keys[event.id]:
                for r in by_key.get(key, []):
                    if r.confirmed_at <= event.found_at:
                        per[r.subscriber_id][r.follow_id].append((event.id, key))
                        follows[r.follow_id] = r
        keys_wanted = _new_keys([f"digest:{frequency}:{end_day.isoformat()}:{s}" for s in per])
        subscribers = _subscribers(per)
        links = _Links()
        rows = []
        for subscriber_id, by_follow in per.items():
            key = f"digest:{frequency}:{end_day.isoformat()}:{subscriber_id}"
            if key not in keys_wanted:
                continue
            subscriber = subscribers[subscriber_id]
            code = i18n.code_of(subscriber.language)
            said = told.speaking(code)
            with i18n.speaking(code):  # the subscriber's language
                sections = [
                    (
                        follows[fid].shown,
                        list(dict.fromkeys(said[event_id][k] for event_id, k in lines)),
                        links.stop(fid, subscriber),
                    )
                    for fid, lines in sorted(
                        by_follow.items(), key=lambda item: follows[item[0]].shown
                    )
                ]
                count = sum(len(lines) for _, lines, _ in sections)
                body = render_template(
                    "email/follow_digest.txt",
                    sections=sections,
                    period=_period_words(frequency, end_day),
                    frequency=i18n.word(FREQUENCY_WORDS[frequency]),
                    **links.of(subscriber),
                )
                subject = _digest_subject(frequency, count)
            row = message_row(
                subscriber, "digest", subject, body, links.of(subscriber)["stop_all_url"], None, now
            )
            row["dedupe_key"] = key
            rows.append(row)
    _insert(rows)
    return len(rows)


__all__ = [
    "Recipient",
    "build_digest",
    "due_periods",
    "period_bounds",
    "queue_digests",
    "queue_immediate",
    "recipients",
]
