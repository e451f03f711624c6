"""What is kept about an email address, and erasing it on request.

An address is one ``subscriber`` row (the address; for action alerts also the
districts and the dates of signing up, confirming, unsubscribing, bouncing), its
follows (what, how often, when confirmed or stopped) and its outbox messages
(every email queued to it, as sent).  :func:`export` returns all of it;
:func:`erase` deletes all of it in one transaction: nothing else holds the
address (tallies and reports keep no address, and sign-up rate limits are
counters that expire within the hour).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import delete, func, select

from tracker.alerts.common import PressureError
from tracker.alerts.subscriptions import normalize_email
from tracker.extensions import db
from tracker.follows.signup import label
from tracker.models import Follow, OutboxMessage, Subscriber


def find(email: str) -> Subscriber | None:
    """The subscriber with this address, written as it was typed or normalised."""
    try:
        address = normalize_email(email)
    except PressureError:
        address = (email or "").strip().lower()
    return db.session.scalar(select(Subscriber).where(Subscriber.email == address))


def _moment(value: dt.datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def export(subscriber: Subscriber) -> dict[str, Any]:
    """Everything kept about the address, as plain JSON-ready data."""
    follows = db.session.scalars(
        select(Follow).where(Follow.subscriber_id == subscriber.id).order_by(Follow.id)
    ).all()
    messages = db.session.scalars(
        select(OutboxMessage)
        .where(OutboxMessage.subscriber_id == subscriber.id)
        .order_by(OutboxMessage.id)
    ).all()
    return {
        "email": subscriber.email,
        "created_at": _moment(subscriber.created_at),
        "language": subscriber.language,  # of the emails
        "action_alerts": {
            "house_district": subscriber.house_district,
            "senate_district": subscriber.senate_district,
            "confirmation_sent_at": _moment(subscriber.confirm_sent_at),
            "confirmed_at": _moment(subscriber.confirmed_at),
            "unsubscribed_at": _moment(subscriber.unsubscribed_at),
        },
        "bounced_at": _moment(subscriber.bounced_at),
        "bounce_reason": subscriber.bounce_reason,
        "follows": [
            {
                "follows": label(f),
                "kind": f.kind,
                "frequency": f.frequency,
                "status": f.status,
                "created_at": _moment(f.created_at),
                "confirmation_sent_at": _moment(f.confirm_sent_at),
                "confirmed_at": _moment(f.confirmed_at),
                "stopped_at": _moment(f.stopped_at),
            }
            for f in follows
        ],
        "emails": [
            {
                "kind": m.kind,
                "subject": m.subject,
                "status": m.status,
                "queued_at": _moment(m.created_at),
                "sent_at": _moment(m.sent_at),
                "error": m.last_error,
                "body": m.body,
            }
            for m in messages
        ],
    }


def erase(subscriber: Subscriber) -> dict[str, int]:
    """Delete the address and everything about it; what was deleted.  The caller
    commits."""
    counted = {
        "follows": db.session.scalar(
            select(func.count()).select_from(Follow).where(Follow.subscriber_id == subscriber.id)
        )
        or 0,
        "emails": db.session.scalar(
            select(func.count())
            .select_from(OutboxMessage)
            .where(OutboxMessage.subscriber_id == subscriber.id)
        )
        or 0,
    }
    subscriber_id = subscriber.id
    db.session.execute(delete(OutboxMessage).where(OutboxMessage.subscriber_id == subscriber_id))
    db.session.execute(delete(Follow).where(Follow.subscriber_id == subscriber_id))
    db.session.execute(delete(Subscriber).where(Subscriber.id == subscriber_id))
    counted["addresses"] = 1
    return counted


__all__ = ["erase", "export", "find"]
