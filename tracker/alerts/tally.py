"""Tallies: "I called" / "I emailed" add one to a bare count per alert,
legislator and kind.

A browser counts an action once (a receipt keyed by an HMAC of a random signed
cookie); the web layer rate-limits per browser and per network address.
Nothing about the member is stored."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
import time
from collections import defaultdict

from itsdangerous import BadSignature, SignatureExpired, TimestampSigner
from sqlalchemy import insert, select, update
from sqlalchemy.exc import IntegrityError, OperationalError

from tracker.alerts.common import PressureError
from tracker.alerts.lifecycle import refuse_unless_open
from tracker.extensions import db
from tracker.models import ActionTally, Alert, Person, TallyReceipt
from tracker.models.common import utcnow
from tracker.models.pressure import ACTION_KINDS
from tracker.settings import current

TALLY_COOKIE = "tally_browser"
TALLY_COOKIE_MAX_AGE = 90 * 24 * 3600


def _secret() -> bytes:
    return current().secret_key.encode()


def new_browser_cookie() -> str:
    return TimestampSigner(_secret(), salt="tally-browser").sign(secrets.token_hex(16)).decode()


def browser_from_cookie(value: str | None) -> str | None:
    """The random browser id in a signed cookie, or None when missing or forged."""
    if not value or len(value) > 200:
        return None
    try:
        raw = TimestampSigner(_secret(), salt="tally-browser").unsign(
            value, max_age=TALLY_COOKIE_MAX_AGE)
    except (BadSignature, SignatureExpired):
        return None
    return raw.decode()


def browser_key(alert: Alert, browser_id: str) -> str:
    """Per-alert HMAC of the browser id: receipts of two alerts cannot be linked."""
    return hmac.new(_secret(), f"tally:{alert.id}:{browser_id}".encode(),
                    hashlib.sha256).hexdigest()


def record_action(alert: Alert, person: Person, kind: str, browser_id: str,
                  now: dt.datetime | None = None) -> bool:
    """Count one member action; False when this browser already counted it.
    Safe under concurrent clicks: the receipt is unique and the count is
    incremented in the same transaction by an atomic UPDATE."""
    now = now or utcnow()
    if kind not in ACTION_KINDS:
        raise PressureError("Say whether you called or emailed.")
    refuse_unless_open(alert, now)
    if not any(t.person_id == person.id for t in alert.targets):
        raise PressureError(f"{person.name} is not targeted by this alert.")
    alert_id, person_id, key = alert.id, person.id, browser_key(alert, browser_id)
    db.session.commit()  # end the read transaction: the next one starts with a write
    for attempt in range(5):
        try:
            db.session.execute(insert(TallyReceipt).values(
                alert_id=alert_id, person_id=person_id, kind=kind, browser=key,
                created_at=now))
            db.session.execute(
                update(ActionTally)
                .where(ActionTally.alert_id == alert_id, ActionTally.person_id == person_id,
                       ActionTally.kind == kind)
                .values(count=ActionTally.count + 1, updated_at=now))
            db.session.commit()
            return True
        except IntegrityError:
            db.session.rollback()
            return False
        except OperationalError:  # SQLite: "database is locked" under a burst
            db.session.rollback()
            time.sleep(0.05 * (attempt + 1))
    raise PressureError("The site is very busy; try the button again in a moment.")


def tallies(alert: Alert) -> dict[int, dict[str, int]]:
    found: dict[int, dict[str, int]] = defaultdict(lambda: dict.fromkeys(ACTION_KINDS, 0))
    for person_id, kind, count in db.session.execute(
            select(ActionTally.person_id, ActionTally.kind, ActionTally.count)
            .where(ActionTally.alert_id == alert.id)):
        found[person_id][kind] = count
    return found
