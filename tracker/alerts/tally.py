"""Tallies: "I called" / "I emailed" add one to a bare count per alert,
legislator and kind.

What one click may count, in this order:

* only a click from the buttons of the alert page that was shown: each button
  carries a signed token naming the alert, the legislator and the browser's
  random id (the signed cookie the page set), valid for a day;
* once per browser (a receipt keyed by an HMAC of that id);
* at most ``TRACKER_TALLY_PER_ADDRESS`` per network address, legislator, alert
  and kind (counted in the shared rate-limit store, under an HMAC of the
  address), so a client that drops its cookies and fetches the page again
  cannot inflate a count;

and the web layer refuses bursts per browser and per network address.
Nothing about the member is stored."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
import time
from collections import defaultdict

from itsdangerous import BadSignature, SignatureExpired, TimestampSigner, URLSafeTimedSerializer
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
            value, max_age=TALLY_COOKIE_MAX_AGE
        )
    except (BadSignature, SignatureExpired):
        return None
    return raw.decode()


TOKEN_MAX_AGE = 24 * 3600
COUNTED, ALREADY, ADDRESS_CAP = "counted", "already", "address"


def action_token(alert: Alert, person: Person, browser_id: str) -> str:
    """The token the alert page puts in a legislator's buttons for this browser."""
    return URLSafeTimedSerializer(_secret(), salt="tally-action").dumps(
        [alert.id, person.id, browser_id]
    )


def check_action_token(token: str, alert: Alert, person: Person, browser_id: str) -> None:
    """Refuse a click whose token is missing, forged, expired, or from another
    page (alert, legislator or browser)."""
    try:
        value = URLSafeTimedSerializer(_secret(), salt="tally-action").loads(
            token[:500], max_age=TOKEN_MAX_AGE
        )
    except SignatureExpired:
        raise PressureError(
            "That page is more than a day old: reload it and press the button again."
        ) from None
    except BadSignature:
        raise PressureError(
            "That button did not come from this alert's page: open the page and press it there."
        ) from None
    if value != [alert.id, person.id, browser_id]:
        raise PressureError(
            "That button came from another page or browser: reload the "
            "alert's page and press it again."
        )


def _address_allows(alert: Alert, person: Person, kind: str, address: str) -> bool:
    """One more count from this network address for this legislator, alert and kind
    today?  Counted in the shared rate-limit store under an HMAC of the address."""
    from limits import parse_many

    from tracker.extensions import limiter

    hashed = hmac.new(_secret(), f"tally-address:{address}".encode(), hashlib.sha256).hexdigest()[
        :32
    ]
    return all(
        limiter.limiter.hit(item, "tally-address", str(alert.id), str(person.id), kind, hashed)
        for item in parse_many(current().tally_per_address)
    )


def browser_key(alert: Alert, browser_id: str) -> str:
    """Per-alert HMAC of the browser id: receipts of two alerts cannot be linked."""
    return hmac.new(
        _secret(), f"tally:{alert.id}:{browser_id}".encode(), hashlib.sha256
    ).hexdigest()


def record_action(
    alert: Alert,
    person: Person,
    kind: str,
    browser_id: str,
    *,
    token: str,
    address: str,
    now: dt.datetime | None = None,
) -> str:
    """Count one member action: ``COUNTED``, or ``ALREADY`` when this browser
    counted it before, or ``ADDRESS_CAP`` when its network address has reached
    today's count for this legislator (see the module's docstring).  Safe under
    concurrent clicks: the receipt is unique and the count is incremented in the
    same transaction by an atomic UPDATE."""
    now = now or utcnow()
    if kind not in ACTION_KINDS:
        raise PressureError("Say whether you called or emailed.")
    refuse_unless_open(alert, now)
    if not any(t.person_id == person.id for t in alert.targets):
        raise PressureError(f"{person.name} is not targeted by this alert.")
    check_action_token(token, alert, person, browser_id)
    alert_id, person_id, key = alert.id, person.id, browser_key(alert, browser_id)
    if (
        db.session.scalar(
            select(TallyReceipt.id).where(
                TallyReceipt.alert_id == alert_id,
                TallyReceipt.person_id == person_id,
                TallyReceipt.kind == kind,
                TallyReceipt.browser == key,
            )
        )
        is not None
    ):
        return ALREADY
    if not _address_allows(alert, person, kind, address):
        return ADDRESS_CAP
    db.session.commit()  # end the read transaction: the next one starts with a write
    for attempt in range(5):
        try:
            db.session.execute(
                insert(TallyReceipt).values(
                    alert_id=alert_id, person_id=person_id, kind=kind, browser=key, created_at=now
                )
            )
            db.session.execute(
                update(ActionTally)
                .where(
                    ActionTally.alert_id == alert_id,
                    ActionTally.person_id == person_id,
                    ActionTally.kind == kind,
                )
                .values(count=ActionTally.count + 1, updated_at=now)
            )
            db.session.commit()
            return COUNTED
        except IntegrityError:
            db.session.rollback()
            return ALREADY
        except OperationalError:  # SQLite: "database is locked" under a burst
            db.session.rollback()
            time.sleep(0.05 * (attempt + 1))
    raise PressureError("The site is very busy; try the button again in a moment.")


def tallies(alert: Alert) -> dict[int, dict[str, int]]:
    found: dict[int, dict[str, int]] = defaultdict(lambda: dict.fromkeys(ACTION_KINDS, 0))
    for person_id, kind, count in db.session.execute(
        select(ActionTally.person_id, ActionTally.kind, ActionTally.count).where(
            ActionTally.alert_id == alert.id
        )
    ):
        found[person_id][kind] = count
    return found
