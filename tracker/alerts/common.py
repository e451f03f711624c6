"""What the alert modules share: the refusal they raise, settings, links on
the public site (also from the scheduler, where there is no request), and the
outbox row every email is queued as."""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterator
from typing import Any

from flask import current_app, url_for

from tracker.models import Alert, Subscriber
from tracker.settings import current


class PressureError(ValueError):
    """A refusal, in words for the person who asked."""


# ---------------------------------------------------------------- URLs


@contextlib.contextmanager
def public_urls() -> Iterator[None]:
    """``url_for(..., _external=True)`` gives links on ``TRACKER_PUBLIC_URL``,
    also in the scheduler, where there is no request."""
    base = current().public_url.rstrip("/")
    with current_app.test_request_context("/", base_url=base):
        yield


def external(endpoint: str, **values: Any) -> str:
    return url_for(endpoint, _external=True, **values)


# ---------------------------------------------------------------- outbox rows


def message_row(
    subscriber: Subscriber,
    kind: str,
    subject: str,
    body: str,
    unsubscribe_url: str,
    alert: Alert | None,
    now: dt.datetime,
) -> dict[str, Any]:
    return {
        "alert_id": alert.id if alert else None,
        "subscriber_id": subscriber.id,
        "kind": kind,
        "to_email": subscriber.email,
        "subject": subject[:300],
        "body": body,
        "unsubscribe_url": unsubscribe_url,
        "status": "queued",
        "attempts": 0,
        "next_attempt_at": now,
        "created_at": now,
    }
