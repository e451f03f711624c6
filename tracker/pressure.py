"""Vote pressure: action alerts before scored votes, and the follow-up after.

* **Lifecycle.**  Staff draft an alert on a bill (target: a chamber's floor
  vote or a committee's members; the ask, vote yes or no; a call script and an
  email template with ``{legislator}``, ``{district}``, ``{bill}`` and
  ``{position}``; an optional deadline), mark it reviewed; an admin publishes
  it; staff close it.  Every change is audited and states the version it
  started from (stale edits are refused).
* **Tallies.**  "I called" / "I emailed" add one to a bare count per alert,
  legislator and kind.  A browser counts an action once (a receipt keyed by an
  HMAC of a random signed cookie); the web layer rate-limits per browser and
  per network address.  Nothing about the member is stored.
* **Subscriptions.**  Double opt-in (a signed, expiring confirmation link),
  itsdangerous-signed unsubscribe links, the address and districts only.
* **Mail.**  Messages are rendered into ``OutboxMessage`` rows, unique per
  (alert, subscriber, kind), and sent by the scheduler's ``mail`` job.
  Delivery is **at most once**: a message is claimed (``queued`` ->
  ``sending``, committed) before it is handed to the SMTP server and only
  ``queued`` messages are ever claimed, so a crash can lose a claimed message
  (it is reported as failed, "interrupted") but never sends one twice.  Only
  failures that certainly left the message undelivered (4xx replies, no
  connection) are retried.
* **Report.**  Per targeted legislator: actions, the ask, the verified vote,
  whether it matched; totals per party and chamber; CSV and a chart.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import hashlib
import hmac
import io
import logging
import os
import re
import secrets
import socket
import time
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import format_datetime, formataddr, parseaddr
from fractions import Fraction
from typing import Any
from urllib.parse import quote

from email_validator import EmailNotValidError, validate_email
from flask import current_app, render_template, url_for
from itsdangerous import (
    BadSignature,
    SignatureExpired,
    TimestampSigner,
    URLSafeSerializer,
    URLSafeTimedSerializer,
)
from sqlalchemy import and_, func, insert, select, update
from sqlalchemy.exc import IntegrityError, OperationalError

from scrapers.vocab import CHAMBER_NAMES, party_name
from tracker import audit, seats
from tracker.extensions import db
from tracker.models import (
    ActionTally,
    Alert,
    AlertTarget,
    Authorship,
    Bill,
    FrozenMemberVote,
    FrozenVote,
    LegislatorScoreRow,
    MemberVote,
    OutboxMessage,
    Person,
    RollCall,
    ScorecardVersion,
    ScorecardVote,
    Subscriber,
    TallyReceipt,
    Term,
    User,
)
from tracker.models.common import utcnow
from tracker.models.pressure import ACTION_KINDS, ALERT_TARGETS, ASKS
from tracker.scoring import display_score
from tracker.seats import district_sort_key

log = logging.getLogger("tracker.pressure")

PLACEHOLDERS = ("legislator", "district", "bill", "position")
PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
ASK_LABELS = {"yes": "vote YES", "no": "vote NO"}
CONFIRM_MAX_AGE = 7 * 24 * 3600
CONFIRM_RESEND_SECONDS = 600
TALLY_COOKIE = "tally_browser"
TALLY_COOKIE_MAX_AGE = 90 * 24 * 3600
MAX_ATTEMPTS = 5
STALE_SENDING_SECONDS = 600
IN_DOUBT = ("interrupted while handing the message to the mail server; it may or may not "
            "have been delivered and is never sent again (at-most-once delivery)")


class PressureError(ValueError):
    """A refusal, in words for the person who asked."""


def setting(name: str, default: Any) -> Any:
    value = current_app.config.get(name)
    return default if value is None or value == "" else value


# ---------------------------------------------------------------- URLs


@contextlib.contextmanager
def public_urls() -> Iterator[None]:
    """``url_for(..., _external=True)`` gives links on ``TRACKER_PUBLIC_URL``,
    also in the scheduler, where there is no request."""
    base = str(setting("TRACKER_PUBLIC_URL", "http://localhost:5000")).rstrip("/")
    with current_app.test_request_context("/", base_url=base):
        yield


def external(endpoint: str, **values: Any) -> str:
    return url_for(endpoint, _external=True, **values)


# ---------------------------------------------------------------- placeholders


def check_template(text: str, what: str) -> None:
    for name in PLACEHOLDER.findall(text):
        if name not in PLACEHOLDERS:
            allowed = ", ".join("{" + p + "}" for p in PLACEHOLDERS)
            raise PressureError(f"The {what} uses {{{name}}}, which is not a placeholder; "
                                f"use {allowed}.")


def position_text(alert: Alert) -> str:
    return ASK_LABELS[alert.ask]


def fill(text: str, alert: Alert, person: Person | None, district: str | None) -> str:
    values = {
        "legislator": person.name if person else "your legislator",
        "district": district or "your district",
        "bill": alert.bill.label,
        "position": position_text(alert),
    }
    return PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), text)


def mailto(alert: Alert, person: Person, district: str | None) -> str | None:
    if not person.email:
        return None
    subject = fill(alert.email_subject or f"{alert.bill.label}: please {position_text(alert)}",
                   alert, person, district)
    body = fill(alert.email_template, alert, person, district)
    return (f"mailto:{quote(person.email, safe='@')}?subject={quote(subject, safe='')}"
            f"&body={quote(body, safe='')}")


# ---------------------------------------------------------------- lifecycle


@dataclass
class AlertInput:
    title: str
    target: str
    chamber: str
    ask: str
    committee: str = ""
    summary: str = ""
    call_script: str = ""
    email_subject: str = ""
    email_template: str = ""
    deadline: dt.datetime | None = None
    member_ids: list[int] = field(default_factory=list)


def _check_input(data: AlertInput, now: dt.datetime) -> None:
    if not data.title.strip():
        raise PressureError("Give the alert a title.")
    if len(data.title) > 200:
        raise PressureError("The title may be at most 200 characters.")
    if data.target not in ALERT_TARGETS:
        raise PressureError("Choose the target: the floor vote or a committee.")
    if data.chamber not in CHAMBER_NAMES:
        raise PressureError("Choose the chamber: House or Senate.")
    if data.ask not in ASKS:
        raise PressureError("Choose the ask: vote yes or vote no.")
    if data.target == "committee":
        if not data.committee.strip():
            raise PressureError("Name the committee.")
        if not data.member_ids:
            raise PressureError("Choose the committee's members to target.")
    if not data.call_script.strip():
        raise PressureError("Write the call script.")
    if not data.email_template.strip():
        raise PressureError("Write the email template.")
    if len(data.email_subject) > 200:
        raise PressureError("The email subject may be at most 200 characters.")
    check_template(data.call_script, "call script")
    check_template(data.email_template, "email template")
    check_template(data.email_subject, "email subject")
    if data.deadline is not None and data.deadline <= now:
        raise PressureError("The deadline is in the past; choose a later one or none.")


def _snapshot(alert: Alert) -> dict[str, Any]:
    return {
        "bill": alert.bill.label if alert.bill else None, "title": alert.title,
        "target": alert.target, "chamber": alert.chamber, "committee": alert.committee,
        "ask": alert.ask, "summary": alert.summary, "call_script": alert.call_script,
        "email_subject": alert.email_subject, "email_template": alert.email_template,
        "deadline": alert.deadline.isoformat() if alert.deadline else None,
        "status": alert.status,
        "targets": sorted(t.person_id for t in alert.targets) if alert.target == "committee"
        else None,
        "roll_call": alert.roll_call.public_id if alert.roll_call else None,
    }


def _set_committee_targets(alert: Alert, member_ids: list[int], on: dt.date) -> None:
    members = {t.person_id: t for t in alert.targets}
    wanted = set(member_ids)
    for person_id in list(members):
        if person_id not in wanted:
            alert.targets.remove(members[person_id])
    for person_id in sorted(wanted - set(members)):
        term = seat(person_id, alert.chamber, on)
        if term is None:
            raise PressureError("A chosen committee member does not hold a seat in the "
                                f"{CHAMBER_NAMES[alert.chamber]} today; reload the page.")
        alert.targets.append(AlertTarget(person_id=person_id, chamber=term.chamber,
                                         district=term.district, party=term.party))


def seat(person_id: int, chamber: str, on: dt.date) -> Term | None:
    return seats.seat_of(person_id, chamber, on)


def seated(chamber: str, on: dt.date) -> list[Term]:
    """Who holds each seat of ``chamber`` on ``on`` (one term per district)."""
    return list(seats.holders_by_district(chamber, on).values())


def _check_version(alert: Alert, expected_version: int | None) -> None:
    if expected_version is not None and expected_version != alert.version:
        raise PressureError("Someone changed this alert since you opened it; reload the page "
                            "and make your change again.")


def _touch(alert: Alert, now: dt.datetime) -> None:
    alert.version += 1
    alert.updated_at = now


def create_alert(bill: Bill, data: AlertInput, *, actor: User | str,
                 now: dt.datetime | None = None) -> Alert:
    now = now or utcnow()
    _check_input(data, now)
    alert = Alert(bill=bill, title=data.title.strip(), target=data.target, chamber=data.chamber,
                  committee=data.committee.strip() if data.target == "committee" else "",
                  ask=data.ask, summary=data.summary.strip(), call_script=data.call_script,
                  email_subject=data.email_subject.strip(), email_template=data.email_template,
                  deadline=data.deadline, status="draft", created_at=now, updated_at=now,
                  created_by_id=actor.id if isinstance(actor, User) else None)
    db.session.add(alert)
    if data.target == "committee":
        _set_committee_targets(alert, data.member_ids, now.date())
    db.session.flush()
    audit.record(actor, "alert.create", alert, after=_snapshot(alert))
    return alert


def update_alert(alert: Alert, data: AlertInput, *, expected_version: int | None,
                 actor: User | str, now: dt.datetime | None = None) -> Alert:
    now = now or utcnow()
    _check_version(alert, expected_version)
    if alert.status not in ("draft", "reviewed"):
        raise PressureError("A published alert cannot be edited: its emails are out. Close it "
                            "and create a new one.")
    _check_input(data, now)
    before = _snapshot(alert)
    alert.title, alert.target, alert.chamber = data.title.strip(), data.target, data.chamber
    alert.committee = data.committee.strip() if data.target == "committee" else ""
    alert.ask, alert.summary = data.ask, data.summary.strip()
    alert.call_script, alert.email_template = data.call_script, data.email_template
    alert.email_subject, alert.deadline = data.email_subject.strip(), data.deadline
    _set_committee_targets(alert, data.member_ids if data.target == "committee" else [],
                           now.date())
    if alert.status == "reviewed":
        alert.status, alert.reviewed_at, alert.reviewed_by_id = "draft", None, None
    _touch(alert, now)
    db.session.flush()
    audit.record(actor, "alert.update", alert, before=before, after=_snapshot(alert))
    return alert


def mark_reviewed(alert: Alert, *, expected_version: int | None, actor: User | str,
                  now: dt.datetime | None = None) -> Alert:
    now = now or utcnow()
    _check_version(alert, expected_version)
    if alert.status != "draft":
        raise PressureError(f"Only a draft can be marked reviewed; this alert is {alert.status}.")
    alert.status, alert.reviewed_at = "reviewed", now
    alert.reviewed_by_id = actor.id if isinstance(actor, User) else None
    _touch(alert, now)
    audit.record(actor, "alert.review", alert, before={"status": "draft"},
                 after={"status": "reviewed"})
    return alert


def publish_alert(alert: Alert, *, expected_version: int | None, actor: User | str,
                  now: dt.datetime | None = None) -> Alert:
    """Reviewed -> published (admins only).  Floor alerts target everyone seated
    in the chamber today; a tally row is made for every target."""
    now = now or utcnow()
    if isinstance(actor, User) and not actor.is_admin:
        raise PressureError("Only an admin can publish an alert.")
    _check_version(alert, expected_version)
    if alert.status != "reviewed":
        raise PressureError("Only a reviewed alert can be published; mark it reviewed first."
                            if alert.status == "draft"
                            else f"This alert is already {alert.status}.")
    if alert.deadline is not None and alert.deadline <= now:
        raise PressureError("The deadline has passed; edit the alert to change it first.")
    if alert.target == "floor":
        for target in list(alert.targets):
            alert.targets.remove(target)
        db.session.flush()
        for term in seated(alert.chamber, now.date()):
            alert.targets.append(AlertTarget(person_id=term.person_id, chamber=term.chamber,
                                             district=term.district, party=term.party))
    if not alert.targets:
        raise PressureError(f"No one is seated in the {CHAMBER_NAMES[alert.chamber]} today, "
                            "so there is no one to call.")
    db.session.flush()
    for target in alert.targets:
        for kind in ACTION_KINDS:
            db.session.add(ActionTally(alert_id=alert.id, person_id=target.person_id, kind=kind,
                                       count=0, updated_at=now))
    alert.status, alert.published_at = "published", now
    alert.published_by_id = actor.id if isinstance(actor, User) else None
    _touch(alert, now)
    audit.record(actor, "alert.publish", alert, before={"status": "reviewed"},
                 after={"status": "published", "targets": len(alert.targets)})
    return alert


def close_alert(alert: Alert, *, expected_version: int | None, actor: User | str,
                note: str = "", now: dt.datetime | None = None) -> Alert:
    now = now or utcnow()
    _check_version(alert, expected_version)
    if alert.status != "published":
        raise PressureError(f"Only a published alert can be closed; this one is {alert.status}.")
    alert.status, alert.closed_at, alert.closed_note = "closed", now, note.strip()[:2000]
    _touch(alert, now)
    audit.record(actor, "alert.close", alert, before={"status": "published"},
                 after={"status": "closed", "note": alert.closed_note})
    return alert


def roll_call_candidates(alert: Alert) -> list[RollCall]:
    """Roll calls on the bill (or its companion) in the alert's chamber."""
    bill_ids = [alert.bill_id] + ([alert.bill.companion_id] if alert.bill.companion_id else [])
    return list(db.session.scalars(
        select(RollCall).where(RollCall.bill_id.in_(bill_ids), RollCall.chamber == alert.chamber)
        .order_by(RollCall.date, RollCall.journal_page, RollCall.sequence, RollCall.id)))


def link_roll_call(alert: Alert, roll_call: RollCall | None, *, actor: User | str) -> Alert:
    if roll_call is not None and roll_call.id not in {rc.id for rc in
                                                      roll_call_candidates(alert)}:
        raise PressureError("That roll call is not on this bill (or its companion) in the "
                            f"{CHAMBER_NAMES[alert.chamber]}.")
    if alert.followup_queued_at is not None:
        raise PressureError("The follow-up emails for this roll call are already out; the "
                            "roll call can no longer be changed.")
    before = {"roll_call": alert.roll_call.public_id if alert.roll_call else None}
    alert.roll_call = roll_call
    _touch(alert, utcnow())
    audit.record(actor, "alert.roll_call", alert, before=before,
                 after={"roll_call": roll_call.public_id if roll_call else None})
    return alert


def auto_link_roll_calls() -> int:
    """Link a published alert to its roll call when exactly one verified
    passage vote in the chamber happened on or after publishing."""
    linked = 0
    alerts = db.session.scalars(select(Alert).where(
        Alert.status.in_(("published", "closed")), Alert.roll_call_id.is_(None),
        Alert.followup_queued_at.is_(None))).all()
    for alert in alerts:
        assert alert.published_at is not None
        found = [rc for rc in roll_call_candidates(alert)
                 if rc.verified and rc.kind == "passage"
                 and rc.date >= alert.published_at.date()]
        if len(found) == 1:
            link_roll_call(alert, found[0], actor="scheduler")
            linked += 1
    return linked


def alert_state(alert: Alert, now: dt.datetime | None = None) -> str:
    """``open`` (members can act), ``expired`` (deadline passed), ``closed``,
    or the unpublished status."""
    now = now or utcnow()
    if alert.status == "published":
        if alert.deadline is not None and alert.deadline <= now:
            return "expired"
        return "open"
    return alert.status


def refuse_unless_open(alert: Alert, now: dt.datetime | None = None) -> None:
    state = alert_state(alert, now)
    if state == "open":
        return
    if state == "expired":
        assert alert.deadline is not None
        raise PressureError(f"This alert's deadline passed on {alert.deadline:%B %-d, %Y}; "
                            "actions are no longer counted. Thank you for checking.")
    if state == "closed":
        raise PressureError("This alert is closed; actions are no longer counted. See the "
                            "report below for how the vote went.")
    raise PressureError("This alert is not published.")


# ---------------------------------------------------------------- tallies


def _secret() -> bytes:
    return str(current_app.config["SECRET_KEY"]).encode()


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


# ---------------------------------------------------------------- subscriptions


def normalize_email(raw: str) -> str:
    raw = (raw or "").strip()
    if not raw:
        raise PressureError("Enter your email address.")
    if len(raw) > 254:
        raise PressureError("That email address is too long.")
    try:
        valid = validate_email(raw, check_deliverability=False)
    except EmailNotValidError as exc:
        raise PressureError(f"That is not an email address we can use: {exc}") from None
    return valid.normalized.lower()


def _confirm_serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(str(current_app.config["SECRET_KEY"]), salt="alert-confirm")


def _unsubscribe_serializer() -> URLSafeSerializer:
    return URLSafeSerializer(str(current_app.config["SECRET_KEY"]), salt="alert-unsubscribe")


def confirm_token(subscriber: Subscriber, house: str | None, senate: str | None) -> str:
    return str(_confirm_serializer().dumps([subscriber.id, subscriber.token_key, house, senate]))


def unsubscribe_token(subscriber: Subscriber) -> str:
    return str(_unsubscribe_serializer().dumps([subscriber.id, subscriber.token_key]))


def _subscriber_for(payload: Any) -> Subscriber | None:
    if not isinstance(payload, list) or len(payload) < 2 or not isinstance(payload[0], int):
        return None
    subscriber = db.session.get(Subscriber, payload[0])
    if subscriber is None or not hmac.compare_digest(subscriber.token_key, str(payload[1])):
        return None
    return subscriber


def read_confirm_token(token: str) -> tuple[Subscriber, str | None, str | None]:
    try:
        payload = _confirm_serializer().loads(token, max_age=CONFIRM_MAX_AGE)
    except SignatureExpired:
        raise PressureError("This confirmation link has expired (links last 7 days). Sign up "
                            "again to get a new one.") from None
    except BadSignature:
        raise PressureError("This confirmation link is not valid. Copy the whole link from "
                            "the email, or sign up again.") from None
    subscriber = _subscriber_for(payload)
    if subscriber is None or len(payload) != 4:
        raise PressureError("This confirmation link is no longer valid. Sign up again.")
    return subscriber, payload[2], payload[3]


def read_unsubscribe_token(token: str) -> Subscriber:
    try:
        payload = _unsubscribe_serializer().loads(token)
    except BadSignature:
        raise PressureError("This unsubscribe link is not valid. Use the link from one of "
                            "our emails, or write to us and we will remove you.") from None
    subscriber = _subscriber_for(payload)
    if subscriber is None:
        raise PressureError("This unsubscribe link is no longer valid: the address is not "
                            "on our list.")
    return subscriber


def subscribe(email: str, house: str | None, senate: str | None,
              now: dt.datetime | None = None) -> bool:
    """Start (or restart) a double opt-in.  The districts take effect only
    when the link is followed, so a stranger cannot change someone's
    subscription.  Returns whether a confirmation email was queued (a repeat
    sign-up within ten minutes queues none).  Says the same to the page
    either way, so the form does not reveal who is subscribed."""
    now = now or utcnow()
    address = normalize_email(email)
    if house is None and senate is None:
        raise PressureError("Give your district (or address) so we send alerts for your "
                            "legislators.")
    subscriber = db.session.scalar(select(Subscriber).where(Subscriber.email == address))
    if subscriber is None:
        subscriber = Subscriber(email=address, created_at=now)
        db.session.add(subscriber)
        try:
            db.session.flush()
        except IntegrityError:  # a concurrent sign-up of the same address
            db.session.rollback()
            subscriber = db.session.scalar(select(Subscriber).where(Subscriber.email == address))
            assert subscriber is not None
    elif (subscriber.confirm_sent_at is not None
          and (now - subscriber.confirm_sent_at).total_seconds() < CONFIRM_RESEND_SECONDS):
        return False
    subscriber.confirm_sent_at = now
    queue_confirmation(subscriber, house, senate, now)
    return True


def confirm(subscriber: Subscriber, house: str | None, senate: str | None,
            now: dt.datetime | None = None) -> None:
    now = now or utcnow()
    subscriber.house_district, subscriber.senate_district = house, senate
    subscriber.confirmed_at = subscriber.confirmed_at or now
    subscriber.unsubscribed_at = None
    subscriber.bounced_at, subscriber.bounce_reason = None, None


def unsubscribe(subscriber: Subscriber, now: dt.datetime | None = None) -> bool:
    """Idempotent; cancels queued messages.  False when already unsubscribed."""
    now = now or utcnow()
    db.session.execute(update(OutboxMessage).where(
        OutboxMessage.subscriber_id == subscriber.id, OutboxMessage.status == "queued",
    ).values(status="failed", last_error="unsubscribed before sending"))
    if subscriber.unsubscribed_at is not None:
        return False
    subscriber.unsubscribed_at = now
    return True


def record_bounce(email: str, reason: str, now: dt.datetime | None = None) -> bool:
    """Stop mailing an address that bounced (a refusal at sending time, or a
    bounce report staff received).  False when the address is unknown."""
    now = now or utcnow()
    subscriber = db.session.scalar(select(Subscriber).where(
        Subscriber.email == (email or "").strip().lower()))
    if subscriber is None:
        return False
    subscriber.bounced_at, subscriber.bounce_reason = now, reason[:2000]
    db.session.execute(update(OutboxMessage).where(
        OutboxMessage.subscriber_id == subscriber.id, OutboxMessage.status == "queued",
    ).values(status="failed", last_error=f"address bounced: {reason}"[:2000]))
    return True


# ---------------------------------------------------------------- queueing


def _message_row(subscriber: Subscriber, kind: str, subject: str, body: str,
                 unsubscribe_url: str, alert: Alert | None, now: dt.datetime) -> dict[str, Any]:
    return {"alert_id": alert.id if alert else None, "subscriber_id": subscriber.id,
            "kind": kind, "to_email": subscriber.email, "subject": subject[:300], "body": body,
            "unsubscribe_url": unsubscribe_url, "status": "queued", "attempts": 0,
            "next_attempt_at": now, "created_at": now}


def queue_confirmation(subscriber: Subscriber, house: str | None, senate: str | None,
                       now: dt.datetime) -> None:
    db.session.flush()
    with public_urls():
        token = confirm_token(subscriber, house, senate)
        unsubscribe_url = external("public.alert_unsubscribe",
                                   token=unsubscribe_token(subscriber))
        body = render_template("email/confirm.txt", confirm_url=external(
            "public.alert_confirm", token=token), house=house, senate=senate,
            unsubscribe_url=unsubscribe_url)
    subject = f"Confirm your {setting('TRACKER_ORG_NAME', 'action alert')} alerts"
    db.session.execute(insert(OutboxMessage), [_message_row(
        subscriber, "confirm", subject, body, unsubscribe_url, None, now)])


def _district_of(subscriber: Subscriber, chamber: str) -> str | None:
    return subscriber.house_district if chamber == "house" else subscriber.senate_district


def _recipients(alert: Alert, kind: str) -> list[tuple[Subscriber, AlertTarget]]:
    """Active subscribers whose seat in the alert's chamber is targeted and
    who have no ``kind`` message for the alert yet."""
    by_district = {t.district: t for t in alert.targets}
    column = (Subscriber.house_district if alert.chamber == "house"
              else Subscriber.senate_district)
    already = select(OutboxMessage.subscriber_id).where(
        OutboxMessage.alert_id == alert.id, OutboxMessage.kind == kind)
    query = select(Subscriber).where(
        Subscriber.confirmed_at.is_not(None), Subscriber.unsubscribed_at.is_(None),
        Subscriber.bounced_at.is_(None), column.in_(list(by_district)),
        Subscriber.id.not_in(already)).order_by(Subscriber.id)
    if kind == "followup":  # only those who were sent the alert
        got_alert = select(OutboxMessage.subscriber_id).where(
            OutboxMessage.alert_id == alert.id, OutboxMessage.kind == "alert",
            OutboxMessage.status == "sent")
        query = query.where(Subscriber.id.in_(got_alert))
    return [(s, by_district[_district_of(s, alert.chamber) or ""])
            for s in db.session.scalars(query)]


def _insert_chunks(rows: list[dict[str, Any]], chunk: int = 1000) -> None:
    for start in range(0, len(rows), chunk):
        db.session.execute(insert(OutboxMessage), rows[start:start + chunk])


def queue_alert_messages(alert: Alert, now: dt.datetime | None = None) -> int:
    """One email per subscriber in the targeted districts (none twice)."""
    now = now or utcnow()
    if alert.status != "published" or alert_state(alert, now) != "open":
        return 0
    if alert.roll_call is not None and alert.roll_call.verified:
        return 0  # the vote is over: no more calls to action
    recipients = _recipients(alert, "alert")
    rows = []
    with public_urls():
        alert_url = external("public.alert_page", public_id=alert.public_id)
        for subscriber, target in recipients:
            person = target.person
            unsubscribe_url = external("public.alert_unsubscribe",
                                       token=unsubscribe_token(subscriber))
            body = render_template(
                "email/alert.txt", alert=alert, person=person, target=target,
                script=fill(alert.call_script, alert, person, target.district),
                email_text=fill(alert.email_template, alert, person, target.district),
                ask=position_text(alert), alert_url=alert_url + f"?district={target.district}",
                unsubscribe_url=unsubscribe_url)
            subject = f"Action alert: {alert.title}"
            rows.append(_message_row(subscriber, "alert", subject, body, unsubscribe_url,
                                     alert, now))
    _insert_chunks(rows)
    alert.alert_mail_queued_at = alert.alert_mail_queued_at or now
    return len(rows)


def queue_followups(alert: Alert, now: dt.datetime | None = None) -> int:
    """After the targeted roll call is verified: how each subscriber's
    legislator voted and what it does to the score."""
    now = now or utcnow()
    rc = alert.roll_call
    if rc is None or not rc.verified or alert.status not in ("published", "closed"):
        return 0
    votes = dict(db.session.execute(select(MemberVote.person_id, MemberVote.option).where(
        MemberVote.roll_call_id == rc.id)).all())
    recipients = _recipients(alert, "followup")
    effects: dict[int, str] = {}
    rows = []
    with public_urls():
        alert_url = external("public.alert_page", public_id=alert.public_id)
        for subscriber, target in recipients:
            person = target.person
            option = votes.get(person.id)
            if person.id not in effects:
                effects[person.id] = score_effect(alert, person, option)
            unsubscribe_url = external("public.alert_unsubscribe",
                                       token=unsubscribe_token(subscriber))
            body = render_template(
                "email/followup.txt", alert=alert, person=person, target=target, rc=rc,
                option=option, matched=_matched(alert, option), ask=position_text(alert),
                effect=effects[person.id], alert_url=alert_url, unsubscribe_url=unsubscribe_url)
            subject = f"How {person.name} voted: {alert.bill.label}"
            rows.append(_message_row(subscriber, "followup", subject, body, unsubscribe_url,
                                     alert, now))
    _insert_chunks(rows)
    alert.followup_queued_at = alert.followup_queued_at or now
    return len(rows)


def queue_pending(now: dt.datetime | None = None) -> dict[str, int]:
    """What the mail job queues before sending: alert emails of newly
    published alerts, and follow-ups of alerts whose roll call is verified."""
    now = now or utcnow()
    counts = {"alert": 0, "followup": 0, "linked": auto_link_roll_calls()}
    # Every open alert, every run: subscribers who confirm while it is open get it too.
    for alert in db.session.scalars(select(Alert).where(Alert.status == "published")).all():
        counts["alert"] += queue_alert_messages(alert, now)
        alert.alert_mail_queued_at = alert.alert_mail_queued_at or now
    waiting = db.session.scalars(select(Alert).join(RollCall, Alert.roll_call_id == RollCall.id)
                                 .where(Alert.status.in_(("published", "closed")),
                                        Alert.followup_queued_at.is_(None),
                                        RollCall.verified.is_(True))).all()
    for alert in waiting:
        # Follow-ups go to those who were sent the alert: wait until its mail is out.
        unsent = db.session.scalar(select(func.count()).select_from(OutboxMessage).where(
            OutboxMessage.alert_id == alert.id, OutboxMessage.kind == "alert",
            OutboxMessage.status.in_(("queued", "sending"))))
        if alert.alert_mail_queued_at is not None and not unsent:
            counts["followup"] += queue_followups(alert, now)
    db.session.commit()
    return counts


# ---------------------------------------------------------------- sending


def _domain() -> str:
    sender = parseaddr(str(setting("TRACKER_MAIL_FROM", "alerts@localhost")))[1]
    return sender.rpartition("@")[2] or "localhost"


def build_email(message: OutboxMessage, sender: str) -> EmailMessage:
    email = EmailMessage()
    org = str(setting("TRACKER_ORG_NAME", ""))
    email["From"] = formataddr((org, sender)) if org else sender
    email["To"] = message.to_email
    email["Subject"] = message.subject
    email["Date"] = format_datetime(utcnow())
    email["Message-ID"] = f"<outbox-{message.id}@{_domain()}>"
    # RFC 2369 and RFC 8058: one-click unsubscribe.
    email["List-Unsubscribe"] = f"<{message.unsubscribe_url}>"
    email["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    if message.kind != "confirm":
        email["Precedence"] = "bulk"
    email.set_content(message.body)
    return email


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(3)}"[:100]


def recover_interrupted(now: dt.datetime | None = None,
                        stale_seconds: int | None = None) -> int:
    """Messages left in ``sending`` by a sender that died: they may have been
    handed to the server, so they are marked failed, never sent again."""
    now = now or utcnow()
    stale = int(stale_seconds if stale_seconds is not None
                else setting("TRACKER_MAIL_STALE_SECONDS", STALE_SENDING_SECONDS))
    result = db.session.execute(update(OutboxMessage).where(
        OutboxMessage.status == "sending",
        OutboxMessage.claimed_at <= now - dt.timedelta(seconds=stale),
    ).values(status="failed", last_error=IN_DOUBT).execution_options(
        synchronize_session=False))
    db.session.commit()
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


@dataclass
class BatchResult:
    sent: int = 0
    retry: int = 0
    failed: int = 0
    bounced: int = 0
    in_doubt: int = 0
    error: str | None = None

    def summary(self) -> str:
        text = (f"sent {self.sent}, to retry {self.retry}, failed {self.failed} "
                f"(bounced {self.bounced}, in doubt {self.in_doubt})")
        return f"{text}; {self.error}" if self.error else text


def _claim(worker: str, limit: int, now: dt.datetime) -> list[int]:
    """Claim up to ``limit`` due messages (confirmations first), committed
    before any of them is sent.  Safe against a second sender."""
    ids = db.session.scalars(select(OutboxMessage.id).where(
        OutboxMessage.status == "queued", OutboxMessage.next_attempt_at <= now,
    ).order_by((OutboxMessage.kind != "confirm"), OutboxMessage.id).limit(limit)).all()
    if not ids:
        db.session.rollback()
        return []
    db.session.execute(update(OutboxMessage).where(
        OutboxMessage.id.in_(ids), OutboxMessage.status == "queued",
    ).values(status="sending", claimed_at=now, claimed_by=worker,
             attempts=OutboxMessage.attempts + 1).execution_options(synchronize_session=False))
    db.session.commit()
    return list(db.session.scalars(select(OutboxMessage.id).where(
        OutboxMessage.id.in_(ids), OutboxMessage.claimed_by == worker,
        OutboxMessage.status == "sending").order_by(OutboxMessage.id)))


def send_batch(limit: int | None = None, *, time_budget: float | None = None,
               mailer: Any = None, worker: str | None = None) -> BatchResult:
    """Send up to ``limit`` due messages within ``time_budget`` seconds."""
    from tracker.mail import MailConfigError, Mailer, SmtpUnavailable, parse_smtp_url

    limit = int(limit if limit is not None else setting("TRACKER_MAIL_BATCH_SIZE", 2000))
    budget = float(time_budget if time_budget is not None
                   else setting("TRACKER_MAIL_TIME_BUDGET", 50))
    chunk = max(1, int(setting("TRACKER_MAIL_CLAIM_CHUNK", 10)))
    sender = parseaddr(str(setting("TRACKER_MAIL_FROM", "")))[1]
    result = BatchResult()
    if not sender:
        result.error = "TRACKER_MAIL_FROM is not set"
        return result
    worker = worker or worker_name()
    owned = mailer is None
    if mailer is None:
        try:
            mailer = Mailer(parse_smtp_url(setting("TRACKER_SMTP_URL", "")))
        except MailConfigError as exc:
            result.error = str(exc)
            return result
    started = time.monotonic()
    done = 0
    try:
        while done < limit and time.monotonic() - started < budget:
            ids = _claim(worker, min(chunk, limit - done), utcnow())
            if not ids:
                break
            messages = db.session.scalars(select(OutboxMessage).where(
                OutboxMessage.id.in_(ids)).order_by(OutboxMessage.id)).all()
            unavailable = None
            for message in messages:
                if unavailable is not None:
                    _requeue(message, unavailable, count_attempt=False)
                    continue
                try:
                    outcome = mailer.send(build_email(message, sender), sender,
                                          message.to_email)
                except SmtpUnavailable as exc:
                    unavailable = str(exc)
                    _requeue(message, unavailable, count_attempt=False)
                    continue
                _record(message, outcome, result)
                done += 1
            db.session.commit()
            if unavailable is not None:
                result.error = unavailable
                break
    finally:
        if owned:
            mailer.close()
    return result


def _requeue(message: OutboxMessage, error: str, *, count_attempt: bool = True) -> None:
    """Back to the queue (nothing was handed over), with a growing wait."""
    if not count_attempt:
        message.attempts = max(0, message.attempts - 1)
    message.status, message.last_error = "queued", error[:2000]
    message.claimed_by = None
    message.next_attempt_at = utcnow() + dt.timedelta(minutes=2 ** max(0, message.attempts))


def _record(message: OutboxMessage, outcome: Any, result: BatchResult) -> None:
    if outcome.ok:
        message.status, message.sent_at, message.last_error = "sent", utcnow(), None
        result.sent += 1
    elif outcome.kind == "transient" and message.attempts < MAX_ATTEMPTS:
        _requeue(message, outcome.error)
        result.retry += 1
    else:
        message.status, message.last_error = "failed", (
            IN_DOUBT + f" ({outcome.error})" if outcome.kind == "in_doubt"
            else outcome.error)[:2000]
        result.failed += 1
        if outcome.kind == "in_doubt":
            result.in_doubt += 1
        if outcome.bounce:
            result.bounced += 1
            record_bounce(message.to_email, outcome.error)


def run_mail_job(now: dt.datetime | None = None) -> tuple[dict[str, int], BatchResult]:
    """The scheduler's mail job: recover, queue, send one batch."""
    interrupted = recover_interrupted(now)
    counts = queue_pending(now)
    counts["interrupted"] = interrupted
    result = send_batch()
    return counts, result


def outbox_counts(alert: Alert | None = None) -> dict[str, dict[str, int]]:
    query = select(OutboxMessage.kind, OutboxMessage.status, func.count()).group_by(
        OutboxMessage.kind, OutboxMessage.status)
    if alert is not None:
        query = query.where(OutboxMessage.alert_id == alert.id)
    found: dict[str, dict[str, int]] = defaultdict(dict)
    for kind, status, count in db.session.execute(query):
        found[kind][status] = count
    return dict(found)


# ---------------------------------------------------------------- where they stand


def latest_scores(person_ids: list[int]) -> dict[int, tuple[ScorecardVersion,
                                                              LegislatorScoreRow]]:
    """The latest published score row of each person, when there is one."""
    from tracker.published import published_versions

    found: dict[int, tuple[ScorecardVersion, LegislatorScoreRow]] = {}
    for version in published_versions():
        missing = [pid for pid in person_ids if pid not in found]
        if not missing:
            break
        for row in db.session.scalars(select(LegislatorScoreRow).where(
                LegislatorScoreRow.scorecard_id == version.scorecard_id,
                LegislatorScoreRow.version_number == version.number,
                LegislatorScoreRow.person_id.in_(missing))):
            found.setdefault(row.person_id, (version, row))
    return found


def exact_score(row: LegislatorScoreRow) -> Fraction | None:
    if not row.has_score or not row.eligible_weight:
        return None
    return Fraction(100 * row.aligned_weight, row.eligible_weight)


@dataclass
class Stance:
    person: Person
    target: AlertTarget
    score: Fraction | None
    grade: str | None
    scorecard: str | None
    related_votes: list[tuple[FrozenVote, str]]
    authorship: str | None
    called: int
    emailed: int

    @property
    def score_display(self) -> int | None:
        return display_score(self.score)


def stances(alert: Alert, targets: list[AlertTarget]) -> list[Stance]:
    """Where each targeted legislator stands: score, votes on scored roll
    calls of this bill (or its companion), authorship, and the tally."""
    from tracker.published import published_versions

    ids = [t.person_id for t in targets]
    scores = latest_scores(ids)
    bill_ids = [alert.bill_id] + ([alert.bill.companion_id] if alert.bill.companion_id else [])
    version_ids = [v.id for v in published_versions()]
    related: dict[int, list[tuple[FrozenVote, str]]] = defaultdict(list)
    if version_ids and ids:
        rows = db.session.execute(
            select(FrozenVote, FrozenMemberVote.person_id, FrozenMemberVote.option)
            .join(FrozenMemberVote, and_(FrozenMemberVote.version_id == FrozenVote.version_id,
                                         FrozenMemberVote.roll_call_id == FrozenVote.roll_call_id))
            .join(RollCall, RollCall.id == FrozenVote.roll_call_id)
            .where(FrozenVote.version_id.in_(version_ids), RollCall.bill_id.in_(bill_ids),
                   FrozenMemberVote.person_id.in_(ids))).all()
        seen: set[tuple[int, int]] = set()
        for vote, person_id, option in rows:
            if (person_id, vote.roll_call_id) not in seen:
                seen.add((person_id, vote.roll_call_id))
                related[person_id].append((vote, option))
    authors = {a.person_id: a for a in db.session.scalars(select(Authorship).where(
        Authorship.bill_id.in_(bill_ids), Authorship.person_id.in_(ids),
        Authorship.missing_from_source.is_(False)))}
    counts = tallies(alert)
    out = []
    for target in targets:
        found = scores.get(target.person_id)
        author = authors.get(target.person_id)
        out.append(Stance(
            person=target.person, target=target,
            score=exact_score(found[1]) if found else None,
            grade=found[1].grade if found else None,
            scorecard=found[0].title if found else None,
            related_votes=related.get(target.person_id, []),
            authorship=(("chief author" if author.chief else "co-author")
                        + f" of {author.bill.label}") if author else None,
            called=counts[target.person_id]["called"],
            emailed=counts[target.person_id]["emailed"]))
    return out


def _matched(alert: Alert, option: str | None) -> bool | None:
    if option in ("yes", "no"):
        return option == alert.ask
    return None


def score_effect(alert: Alert, person: Person, option: str | None) -> str:
    """What the vote does to the legislator's score, in a sentence."""
    found = latest_scores([person.id]).get(person.id)
    if found is None:
        return (f"{person.name} has no published score yet; this vote will count when the "
                "scorecard is published.")
    version, row = found
    rc = alert.roll_call
    assert rc is not None
    before = display_score(exact_score(row))
    shown = f"{before}" if before is not None else "not enough votes for a score"
    on_card = db.session.scalar(select(FrozenVote.id).where(
        FrozenVote.version_id == version.id, FrozenVote.roll_call_id == rc.id))
    if on_card is not None:
        return f"This vote is scored on {version.title}, where {person.name}'s score is {shown}."
    weight = db.session.scalar(select(ScorecardVote.weight).where(
        ScorecardVote.scorecard_id == version.scorecard_id, ScorecardVote.roll_call_id == rc.id,
        ScorecardVote.active.is_(True))) or 1
    policy = version.methodology.get("absence_policy", "exclude")
    eligible = option in ("yes", "no") or (option == "not_voting" and policy != "exclude") or (
        option == "excused" and policy == "count_all")
    if not eligible:
        return (f"Not voting does not count for or against {person.name} under "
                f"{version.title}'s rules; the score stays {shown}.")
    aligned = row.aligned_weight + (weight if option == alert.ask else 0)
    after = display_score(Fraction(100 * aligned, row.eligible_weight + weight))
    return (f"If this vote is scored on {version.title} (weight {weight}), {person.name}'s "
            f"score would go from {shown} to {after}.")


# ---------------------------------------------------------------- the report


@dataclass
class ReportRow:
    person: Person
    chamber: str
    district: str
    party: str | None
    called: int
    emailed: int
    asked: str
    vote: str | None
    matched: bool | None

    @property
    def actions(self) -> int:
        return self.called + self.emailed


@dataclass
class Report:
    alert: Alert
    vote_status: str  # no_roll_call, unverified, verified, no_vote
    rows: list[ReportRow]
    by_party: dict[str, dict[str, int]]
    by_chamber: dict[str, dict[str, int]]
    totals: dict[str, int]

    @property
    def has_votes(self) -> bool:
        return self.vote_status == "verified"


def _totals(rows: list[ReportRow]) -> dict[str, int]:
    return {
        "legislators": len(rows),
        "called": sum(r.called for r in rows),
        "emailed": sum(r.emailed for r in rows),
        "actions": sum(r.actions for r in rows),
        "voted_as_asked": sum(1 for r in rows if r.matched is True),
        "voted_against": sum(1 for r in rows if r.matched is False),
        "did_not_vote": sum(1 for r in rows if r.vote is not None and r.matched is None),
    }


def pressure_report(alert: Alert) -> Report:
    rc = alert.roll_call
    if rc is None:
        status = "no_vote" if alert.status == "closed" else "no_roll_call"
    else:
        status = "verified" if rc.verified else "unverified"
    votes: dict[int, str] = {}
    if status == "verified":
        assert rc is not None
        votes = dict(db.session.execute(select(MemberVote.person_id, MemberVote.option).where(
            MemberVote.roll_call_id == rc.id, MemberVote.person_id.is_not(None))).all())
    counts = tallies(alert)
    rows = []
    for target in sorted(alert.targets, key=lambda t: (t.chamber, district_sort_key(t.district))):
        option = votes.get(target.person_id) if status == "verified" else None
        if status == "verified" and option is None:
            option = "not_seated"
        rows.append(ReportRow(
            person=target.person, chamber=target.chamber, district=target.district,
            party=target.party, called=counts[target.person_id]["called"],
            emailed=counts[target.person_id]["emailed"], asked=alert.ask, vote=option,
            matched=_matched(alert, option)))
    groups: dict[str, list[ReportRow]] = defaultdict(list)
    chambers: dict[str, list[ReportRow]] = defaultdict(list)
    for row in rows:
        groups[row.party or "none"].append(row)
        chambers[row.chamber].append(row)
    return Report(alert=alert, vote_status=status, rows=rows,
                  by_party={k: _totals(v) for k, v in sorted(groups.items())},
                  by_chamber={k: _totals(v) for k, v in sorted(chambers.items())},
                  totals=_totals(rows))


CSV_COLUMNS = ("legislator", "legislator_id", "chamber", "district", "party", "called",
               "emailed", "actions", "asked", "vote", "voted_as_asked")


def report_csv(report: Report) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for r in report.rows:
        writer.writerow([
            _csv_safe(r.person.name), r.person.public_id, r.chamber, r.district, r.party or "",
            r.called, r.emailed, r.actions, r.asked, r.vote or "",
            "" if r.matched is None else ("yes" if r.matched else "no")])
    return out.getvalue()


def _csv_safe(value: str) -> str:
    """Spreadsheets run cells starting with = + - @ as formulas."""
    return "'" + value if value[:1] in ("=", "+", "-", "@") else value


def report_chart(report: Report, fmt: str = "svg") -> bytes:
    from tracker.charts import pressure_chart

    parties = {party_name(p) if p != "none" else "No party": totals
               for p, totals in report.by_party.items()}
    return pressure_chart(parties, title=f"{report.alert.bill.label}: {report.alert.title}",
                          with_votes=report.has_votes, fmt=fmt)


# ---------------------------------------------------------------- demo


DEMO_SCRIPT = ("Hello, my name is ____ and I live in district {district}. I'm calling to ask "
               "{legislator} to {position} on {bill}. Thank you.")
DEMO_EMAIL = ("Dear {legislator},\n\nAs a constituent in district {district}, I ask you to "
              "{position} on {bill}.\n\nThank you.")


def load_demo_alerts(seed: int = 8) -> str:
    """A closed demo alert with its report: on the latest demo session's first
    Senate passage vote, with invented tallies.  Safe to call twice."""
    import random

    if db.session.scalar(select(Alert.id).where(Alert.is_demo.is_(True)).limit(1)):
        return "demo alerts already loaded"
    rc = db.session.scalars(
        select(RollCall).join(Bill).join(Bill.session)
        .where(RollCall.chamber == "senate", RollCall.kind == "passage",
               RollCall.verified.is_(True))
        .where(Bill.session.has(is_demo=True))
        .order_by(RollCall.date.desc(), RollCall.id).limit(1)).first()
    if rc is None:
        return "no verified demo Senate vote to hang a demo alert on"
    from tracker.published import published_position_map

    position = published_position_map([rc.bill_id]).get(rc.bill_id)
    ask = "no" if position is not None and position.published_position == "oppose" else "yes"
    rng = random.Random(seed)  # noqa: S311 - invented data, not security
    published = dt.datetime.combine(rc.date - dt.timedelta(days=3), dt.time(14),
                                    tzinfo=dt.UTC)
    alert = Alert(bill_id=rc.bill_id, title=f"Call your senator: {ASK_LABELS[ask]} on "
                  f"{rc.bill.label} (demo)", target="floor", chamber="senate", ask=ask,
                  summary="Invented demo alert: every legislator, call and vote is fictional.",
                  call_script=DEMO_SCRIPT, email_subject="Please {position} on {bill}",
                  email_template=DEMO_EMAIL, deadline=None, status="closed", is_demo=True,
                  created_at=published, updated_at=published, published_at=published,
                  reviewed_at=published, roll_call_id=rc.id,
                  closed_at=published + dt.timedelta(days=4),
                  closed_note="The vote was held; see the report (demo).",
                  alert_mail_queued_at=published, followup_queued_at=published)
    db.session.add(alert)
    db.session.flush()
    for term in seated("senate", rc.date):
        db.session.add(AlertTarget(alert_id=alert.id, person_id=term.person_id,
                                   chamber="senate", district=term.district, party=term.party))
        for kind in ACTION_KINDS:
            db.session.add(ActionTally(alert_id=alert.id, person_id=term.person_id, kind=kind,
                                       count=rng.randint(0, 40 if kind == "called" else 25),
                                       updated_at=published))
    audit.record("demo", "alert.create", alert, after={"demo": True})
    db.session.flush()
    return f"loaded a closed demo alert on {rc.bill.label} with its report"


def remove_demo_alerts() -> int:
    """Delete demo alerts (call before the demo's bills and people go)."""
    from sqlalchemy import delete

    ids = select(Alert.id).where(Alert.is_demo.is_(True))
    for model in (TallyReceipt, ActionTally, AlertTarget, OutboxMessage):
        db.session.execute(delete(model).where(model.alert_id.in_(ids)))
    return int(db.session.execute(delete(Alert).where(Alert.is_demo.is_(True))).rowcount or 0)
