"""The events followers hear about, found by a scan of what is stored.

Nothing that writes bills, hearings, votes, scorecards or alerts has to announce
anything: every few minutes :func:`scan` compares what is stored with its
watermarks (:class:`~tracker.models.follows.FollowState`) and stores each new
event once, under a unique key, so a second scan (or a crash and a rerun) never
stores one twice:

* **status** - a bill's status (the latest action's, ``Bill.status``) differs from
  the one the scan last saw (:class:`FollowBillStatus`); bills whose status
  document was fetched since the last scan are compared (``Bill.last_fetched_at``
  is the watermark);
* **hearing** - a bill on the agenda of an upcoming hearing, once per hearing
  and bill (a bill added to an agenda later is new then);
* **hearing_change** - a hearing with the bill on its agenda moved (time, day,
  room), was cancelled or reinstated, left the schedule or came back
  (``HearingChange`` rows past the watermark, for hearings not yet past);
* **roll_call** - a roll call on the bill, floor or committee, once it is
  **verified** (only verified roll calls are announced; one verified later by
  hand is announced then);
* **score** - a newly published scorecard version;
* **alert** - a newly published action alert.

The first scan starts the watermarks and stores the events of the last
``TRACKER_FEED_DAYS`` days as ``backfill``: they fill the per-bill and
per-legislator feeds but are never emailed.  Followers are emailed only events
found after their follow was confirmed (:mod:`tracker.follows.delivery`).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from typing import Any

from sqlalchemy import func, insert, select, update

from tracker import localtime
from tracker.extensions import db
from tracker.models import (
    Alert,
    Bill,
    BillAction,
    Hearing,
    HearingBill,
    HearingChange,
    RollCall,
    ScorecardVersion,
)
from tracker.models.common import utcnow
from tracker.models.follows import FollowBillStatus, FollowEvent, FollowState
from tracker.settings import current

# A bill fetched a little before the watermark may have been committed after the
# last scan read: compare the bills fetched this long before it again (harmless).
FETCH_SLACK = dt.timedelta(hours=2)
# A roll call verified by hand long after the vote is still news, within a year.
ROLL_CALL_WINDOW_DAYS = 365
CHUNK = 500


# ---------------------------------------------------------------- watermarks


def states() -> dict[str, FollowState]:
    return {row.name: row for row in db.session.scalars(select(FollowState))}


def put(
    found: dict[str, FollowState],
    name: str,
    *,
    number: int | None = None,
    moment: dt.datetime | None = None,
    day: dt.date | None = None,
) -> None:
    """Set a watermark; the row is written only when a value changes."""
    row = found.get(name)
    if row is None:
        row = FollowState(name=name)
        db.session.add(row)
        found[name] = row
    for attr, value in (("number", number), ("moment", moment), ("day", day)):
        if value is not None and getattr(row, attr) != value:
            setattr(row, attr, value)


def started() -> dt.datetime | None:
    """When the first scan ran (None: it has not)."""
    return db.session.scalar(select(FollowState.moment).where(FollowState.name == "started"))


# ---------------------------------------------------------------- the scan


def _row(
    key: str, kind: str, day: dt.date, now: dt.datetime, backfill: bool, **values: Any
) -> dict[str, Any]:
    row: dict[str, Any] = {
        "key": key[:120],
        "kind": kind,
        "happened_on": day,
        "found_at": now,
        "backfill": backfill,
        "bill_id": None,
        "roll_call_id": None,
        "hearing_id": None,
        "hearing_change_id": None,
        "version_id": None,
        "alert_id": None,
        "details": None,
    }
    row.update(values)
    return row


def _chunks(items: list[Any], size: int = CHUNK) -> Iterable[list[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _status_events(
    found: dict[str, FollowState], now: dt.datetime, first: bool, today: dt.date
) -> list[dict[str, Any]]:
    mark = found.get("bill_fetched")
    query = select(Bill.id, Bill.status, Bill.last_fetched_at, FollowBillStatus.status).outerjoin(
        FollowBillStatus, FollowBillStatus.bill_id == Bill.id
    )
    if mark is not None and mark.moment is not None:
        query = query.where(Bill.last_fetched_at >= mark.moment - FETCH_SLACK)
    seen: list[dict[str, Any]] = []
    changed: dict[int, tuple[str, str]] = {}
    latest = mark.moment if mark is not None else None
    for bill_id, status, fetched, known in db.session.execute(query):
        if fetched is not None and (latest is None or fetched > latest):
            latest = fetched
        if known is None:
            seen.append({"bill_id": bill_id, "status": status})
        elif known != status:
            changed[bill_id] = (known, status)
    for chunk in _chunks(seen):
        db.session.execute(insert(FollowBillStatus), chunk)
    for bill_id, (_, status) in changed.items():
        db.session.execute(
            update(FollowBillStatus)
            .where(FollowBillStatus.bill_id == bill_id)
            .values(status=status)
        )
    if latest is not None:
        put(found, "bill_fetched", moment=latest)
    if not changed:
        return []
    days: dict[int, dt.date | None] = {}
    for chunk in _chunks(list(changed)):
        for bill_id, day in db.session.execute(
            select(BillAction.bill_id, func.max(BillAction.date))
            .where(BillAction.bill_id.in_(chunk))
            .group_by(BillAction.bill_id)
        ):
            days[bill_id] = day
    rows = []
    for bill_id, (before, after) in changed.items():
        day = days.get(bill_id) or today
        rows.append(
            _row(
                f"status:{bill_id}:{before}>{after}:{day.isoformat()}",
                "status",
                day,
                now,
                first,
                bill_id=bill_id,
                details={"before": before, "after": after},
            )
        )
    return rows


def _hearing_events(today: dt.date, now: dt.datetime, backfill: bool) -> list[dict[str, Any]]:
    rows = []
    for hearing_id, bill_id, day in db.session.execute(
        select(HearingBill.hearing_id, HearingBill.bill_id, Hearing.date)
        .join(Hearing, HearingBill.hearing_id == Hearing.id)
        .where(
            HearingBill.bill_id.is_not(None),
            Hearing.date >= today,
            Hearing.cancelled.is_(False),
            Hearing.missing_from_source.is_(False),
        )
    ):
        rows.append(
            _row(
                f"hearing:{hearing_id}:{bill_id}",
                "hearing",
                day,
                now,
                backfill,
                bill_id=bill_id,
                hearing_id=hearing_id,
            )
        )
    return rows


def _change_events(
    found: dict[str, FollowState], today: dt.date, now: dt.datetime, first: bool
) -> list[dict[str, Any]]:
    top = db.session.scalar(select(func.max(HearingChange.id))) or 0
    mark = found.get("hearing_change")
    if first or mark is None or mark.number is None:
        put(found, "hearing_change", number=top)
        return []
    rows = []
    if top > mark.number:
        for change_id, hearing_id, kind, day, bill_id in db.session.execute(
            select(
                HearingChange.id,
                HearingChange.hearing_id,
                HearingChange.kind,
                Hearing.date,
                HearingBill.bill_id,
            )
            .join(Hearing, HearingChange.hearing_id == Hearing.id)
            .join(HearingBill, HearingBill.hearing_id == Hearing.id)
            .where(
                HearingChange.id > mark.number,
                HearingChange.id <= top,
                HearingBill.bill_id.is_not(None),
                Hearing.date >= today,
            )
        ):
            rows.append(
                _row(
                    f"hearing_change:{change_id}:{bill_id}",
                    "hearing_change",
                    day,
                    now,
                    False,
                    bill_id=bill_id,
                    hearing_id=hearing_id,
                    hearing_change_id=change_id,
                    details={"change": kind},
                )
            )
        put(found, "hearing_change", number=top)
    return rows


def _roll_call_events(floor: dt.date, now: dt.datetime, backfill: bool) -> list[dict[str, Any]]:
    announced = select(FollowEvent.roll_call_id).where(
        FollowEvent.kind == "roll_call", FollowEvent.roll_call_id.is_not(None)
    )
    return [
        _row(
            f"roll_call:{rc_id}",
            "roll_call",
            day,
            now,
            backfill,
            bill_id=bill_id,
            roll_call_id=rc_id,
        )
        for rc_id, bill_id, day in db.session.execute(
            select(RollCall.id, RollCall.bill_id, RollCall.date)
            .where(
                RollCall.verified.is_(True), RollCall.date >= floor, RollCall.id.not_in(announced)
            )
            .order_by(RollCall.date, RollCall.id)
        )
    ]


def _version_events(since: dt.datetime, now: dt.datetime, backfill: bool) -> list[dict[str, Any]]:
    announced = select(FollowEvent.version_id).where(FollowEvent.version_id.is_not(None))
    return [
        _row(
            f"score:{version_id}",
            "score",
            localtime.local(published).date(),
            now,
            backfill,
            version_id=version_id,
        )
        for version_id, published in db.session.execute(
            select(ScorecardVersion.id, ScorecardVersion.published_at)
            .where(ScorecardVersion.published_at >= since, ScorecardVersion.id.not_in(announced))
            .order_by(ScorecardVersion.id)
        )
    ]


def _alert_events(since: dt.datetime, now: dt.datetime, backfill: bool) -> list[dict[str, Any]]:
    announced = select(FollowEvent.alert_id).where(FollowEvent.alert_id.is_not(None))
    return [
        _row(
            f"alert:{alert_id}",
            "alert",
            localtime.local(published or now).date(),
            now,
            backfill,
            alert_id=alert_id,
            bill_id=bill_id,
        )
        for alert_id, bill_id, published in db.session.execute(
            select(Alert.id, Alert.bill_id, Alert.published_at)
            .where(
                Alert.status == "published", Alert.published_at >= since, Alert.id.not_in(announced)
            )
            .order_by(Alert.id)
        )
    ]


def _store(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Insert the rows whose key is not stored yet (each key once)."""
    unique: dict[str, dict[str, Any]] = {}
    for row in rows:
        unique.setdefault(row["key"], row)
    keys = list(unique)
    for chunk in _chunks(keys):
        for key in db.session.scalars(select(FollowEvent.key).where(FollowEvent.key.in_(chunk))):
            unique.pop(key, None)
    fresh = list(unique.values())
    for chunk in _chunks(fresh):
        db.session.execute(insert(FollowEvent), chunk)
    return fresh


def scan(now: dt.datetime | None = None) -> dict[str, int]:
    """Store the events found since the last scan; how many of each kind (module
    docstring).  The caller commits (and serialises scans: ``tracker.follows.job``)."""
    now = now or utcnow()
    today = localtime.local(now).date()
    found = states()
    first = "started" not in found
    if first:
        put(found, "started", moment=now, day=today - dt.timedelta(days=current().feed_days))
    floor = found["started"].day or today
    since = dt.datetime.combine(floor, dt.time(), tzinfo=localtime.LOCAL)
    rows = _status_events(found, now, first, today)
    rows += _hearing_events(today, now, first)
    rows += _change_events(found, today, now, first)
    rows += _roll_call_events(
        max(floor, today - dt.timedelta(days=ROLL_CALL_WINDOW_DAYS)), now, first
    )
    rows += _version_events(since, now, first)
    rows += _alert_events(since, now, first)
    stored = _store(rows)
    db.session.flush()
    return dict(Counter(row["kind"] for row in stored))


__all__ = ["FETCH_SLACK", "ROLL_CALL_WINDOW_DAYS", "put", "scan", "started", "states"]
