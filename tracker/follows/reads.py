"""Reads of follows for pages: the per-bill and per-legislator feeds (from the same
events and words as the emails), and counts for staff (never an address)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import and_, select

from scrapers.vocab import CHAMBERS
from tracker import localtime, seats
from tracker.extensions import db
from tracker.follows.lines import Line, audiences
from tracker.follows.targets import bill_key, person_key, seat_keys
from tracker.models import (
    Alert,
    AlertTarget,
    Bill,
    Follow,
    LegislatorScoreRow,
    MemberVote,
    Person,
    ScorecardVersion,
    Subscriber,
)
from tracker.models.follows import FollowEvent
from tracker.settings import current

MAX_ITEMS = 100
BILL_KINDS = ("status", "hearing", "hearing_change", "roll_call")


def _cutoff(today: dt.date | None) -> dt.date:
    return (today or localtime.today()) - dt.timedelta(days=current().feed_days)


def bill_events(bill: Bill, today: dt.date | None = None) -> list[tuple[FollowEvent, Line]]:
    """The bill's events (and its companion's) of the last ``TRACKER_FEED_DAYS`` days,
    newest first, each as the bill's followers are told it."""
    ids = [bill.id] + ([bill.companion_id] if bill.companion_id else [])
    found = list(
        db.session.scalars(
            select(FollowEvent)
            .where(
                FollowEvent.bill_id.in_(ids),
                FollowEvent.kind.in_(BILL_KINDS),
                FollowEvent.happened_on >= _cutoff(today),
            )
            .order_by(FollowEvent.happened_on.desc(), FollowEvent.id.desc())
            .limit(MAX_ITEMS)
        )
    )
    told = audiences(found, people=())
    key = bill_key(bill.id)
    return [(event, told[event.id][key]) for event in found if key in told[event.id]]


def person_events(person: Person, today: dt.date | None = None) -> list[tuple[FollowEvent, Line]]:
    """The legislator's events of the last ``TRACKER_FEED_DAYS`` days, newest first:
    roll calls on bills with a published position, published scores, alerts that
    target them."""
    cutoff = _cutoff(today)
    votes = (
        select(FollowEvent.id)
        .join(MemberVote, MemberVote.roll_call_id == FollowEvent.roll_call_id)
        .where(FollowEvent.kind == "roll_call", MemberVote.person_id == person.id)
    )
    scores = (
        select(FollowEvent.id)
        .join(ScorecardVersion, ScorecardVersion.id == FollowEvent.version_id)
        .join(
            LegislatorScoreRow,
            and_(
                LegislatorScoreRow.scorecard_id == ScorecardVersion.scorecard_id,
                LegislatorScoreRow.version_number == ScorecardVersion.number,
            ),
        )
        .where(LegislatorScoreRow.person_id == person.id)
    )
    targeted = (
        select(FollowEvent.id)
        .join(Alert, Alert.id == FollowEvent.alert_id)
        .join(AlertTarget, AlertTarget.alert_id == Alert.id)
        .where(AlertTarget.person_id == person.id)
    )
    found = list(
        db.session.scalars(
            select(FollowEvent)
            .where(
                FollowEvent.happened_on >= cutoff,
                FollowEvent.id.in_(votes)
                | FollowEvent.id.in_(scores)
                | FollowEvent.id.in_(targeted),
            )
            .order_by(FollowEvent.happened_on.desc(), FollowEvent.id.desc())
            .limit(MAX_ITEMS)
        )
    )
    told = audiences(found, people=[person.id])
    key = person_key(person.id)
    return [(event, told[event.id][key]) for event in found if key in told[event.id]]


# ---------------------------------------------------------------- staff counts


@dataclass(frozen=True)
class FollowCounts:
    """Active follows, by bill and by legislator: ``bills`` follow the bill itself,
    ``legislators`` the legislator by name, ``districts`` the district of the seat
    the legislator holds (distinct addresses)."""

    bills: dict[int, int]
    legislators: dict[int, int]
    districts: dict[int, int]


def _active(keys: Iterable[str]) -> dict[str, set[int]]:
    """The subscribers with an active follow on each key (bounced addresses left out)."""
    found: dict[str, set[int]] = defaultdict(set)
    keys = sorted(set(keys))
    for start in range(0, len(keys), 500):
        for key, subscriber_id in db.session.execute(
            select(Follow.target_key, Follow.subscriber_id)
            .join(Subscriber, Subscriber.id == Follow.subscriber_id)
            .where(
                Follow.status == "active",
                Follow.target_key.in_(keys[start : start + 500]),
                Subscriber.bounced_at.is_(None),
            )
        ):
            found[key].add(subscriber_id)
    return found


def _seats_of(person_ids: set[int], on: dt.date) -> dict[int, tuple[str, str]]:
    found: dict[int, tuple[str, str]] = {}
    for chamber in CHAMBERS:
        for district, term in seats.holders_by_district(chamber, on).items():
            if term.person_id in person_ids:
                found[term.person_id] = (chamber, district)
    return found


def counts(
    bill_ids: Iterable[int] = (), person_ids: Iterable[int] = (), on: dt.date | None = None
) -> FollowCounts:
    """How many addresses follow each bill and each legislator (``FollowCounts``);
    districts by the seat each legislator holds on ``on`` (today)."""
    bills, people = set(bill_ids), set(person_ids)
    held = _seats_of(people, on or localtime.today()) if people else {}
    district_keys = {p: seat_keys(*seat) for p, seat in held.items()}
    found = _active(
        [bill_key(b) for b in bills]
        + [person_key(p) for p in people]
        + [k for keys in district_keys.values() for k in keys]
    )
    return FollowCounts(
        bills={b: len(found.get(bill_key(b), ())) for b in bills},
        legislators={p: len(found.get(person_key(p), ())) for p in people},
        districts={
            p: len(set().union(*(found.get(k, set()) for k in district_keys.get(p, []))))
            for p in people
        },
    )


def alert_reach(alert: Alert, on: dt.date | None = None) -> int:
    """How many followers an alert would reach when published: the addresses following
    a targeted legislator or their district (a floor alert targets everyone seated in
    its chamber ``on`` that day, as publishing does)."""
    on = on or localtime.today()
    if alert.target == "floor" and alert.status in ("draft", "reviewed"):
        seated = [
            (t.person_id, t.chamber, t.district)
            for t in seats.holders_by_district(alert.chamber, on).values()
        ]
    else:
        seated = [(t.person_id, t.chamber, t.district) for t in alert.targets]
    keys = [person_key(p) for p, _, _ in seated]
    keys += [k for _, chamber, district in seated for k in seat_keys(chamber, district)]
    return len(set().union(*_active(keys).values())) if keys else 0


__all__ = ["FollowCounts", "alert_reach", "bill_events", "counts", "person_events"]
