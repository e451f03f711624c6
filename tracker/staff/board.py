"""The "this week" board: the coming week's hearings of the bills the organization
has a published position on, in date order, each with one click to draft a hearing
alert filled in from it (``tracker.staff.alerts.hearing_values``), and the alerts
already drafted for it."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from flask import render_template
from sqlalchemy import select

from tracker import hearings, localtime
from tracker.auth.decorators import staff_required
from tracker.extensions import db
from tracker.models import Alert, BillPosition, Hearing
from tracker.staff import bp

DAYS = 7  # today and the six days after
SIDES = ("support", "oppose")


def _positions() -> dict[int, str]:
    return {
        p.bill_id: p.published_position or ""
        for p in db.session.scalars(
            select(BillPosition).where(BillPosition.published_position.in_(SIDES))
        )
    }


def week(positions: dict[int, str], today: dt.date) -> list[Hearing]:
    """The hearings from ``today`` to the sixth day after of the ``positions``' bills."""
    return hearings.of_bills(sorted(positions), since=today, before=today + dt.timedelta(days=DAYS))


def week_count() -> int:
    """How many hearings the board shows today (the staff dashboard's figure)."""
    return len(week(_positions(), localtime.today()))


@bp.get("/this-week")
@staff_required
def this_week() -> str:
    today = localtime.today()
    until = today + dt.timedelta(days=DAYS)
    positions = _positions()
    rows = week(positions, today)
    drafted: dict[int, list[Alert]] = defaultdict(list)
    if rows:
        for alert in db.session.scalars(
            select(Alert).where(Alert.hearing_id.in_([h.id for h in rows])).order_by(Alert.id)
        ):
            if alert.hearing_id is not None:
                drafted[alert.hearing_id].append(alert)
    items: list[dict[str, Any]] = [
        {
            "hearing": h,
            "bills": [(b, positions.get(b.bill_id) if b.bill_id else None) for b in h.bills],
            "moved": any(c.kind in hearings.MOVES for c in h.changes),
            "alerts": drafted.get(h.id, []),
        }
        for h in rows
    ]
    return render_template(
        "staff/board.html", items=items, today=today, last=until - dt.timedelta(days=1)
    )
