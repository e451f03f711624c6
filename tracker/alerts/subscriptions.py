"""Email subscriptions: the address and districts only.

Double opt-in: a sign-up queues a confirmation email with a signed, expiring
link, and the districts take effect only when it is followed.  Unsubscribe
links are itsdangerous-signed; unsubscribing, or a bounce, cancels the queued
messages."""

from __future__ import annotations

import datetime as dt
import hmac
from typing import Any

from email_validator import EmailNotValidError, validate_email
from flask import render_template
from flask_babel import gettext
from itsdangerous import BadSignature, SignatureExpired, URLSafeSerializer, URLSafeTimedSerializer
from sqlalchemy import insert, select, update
from sqlalchemy.exc import IntegrityError

from tracker import i18n
from tracker.alerts.common import PressureError, external, message_row, public_urls
from tracker.extensions import db
from tracker.models import OutboxMessage, Subscriber
from tracker.models.common import utcnow
from tracker.settings import current

CONFIRM_MAX_AGE = 7 * 24 * 3600
CONFIRM_RESEND_SECONDS = 600


def normalize_email(raw: str) -> str:
    raw = (raw or "").strip()
    if not raw:
        raise PressureError(gettext("Enter your email address."))
    if len(raw) > 254:
        raise PressureError(gettext("That email address is too long."))
    try:
        valid = validate_email(raw, check_deliverability=False)
    except EmailNotValidError as exc:
        raise PressureError(
            gettext("That is not an email address we can use: %(reason)s", reason=str(exc))
        ) from None
    return valid.normalized.lower()


def _confirm_serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current().secret_key, salt="alert-confirm")


def _unsubscribe_serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current().secret_key, salt="alert-unsubscribe")


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
        raise PressureError(
            gettext(
                "This confirmation link has expired (links last 7 days). "
                "Sign up again to get a new one."
            )
        ) from None
    except BadSignature:
        raise PressureError(
            gettext(
                "This confirmation link is not valid. Copy the whole link "
                "from the email, or sign up again."
            )
        ) from None
    subscriber = _subscriber_for(payload)
    if subscriber is None or len(payload) != 4:
        raise PressureError(gettext("This confirmation link is no longer valid. Sign up again."))
    return subscriber, payload[2], payload[3]


def read_unsubscribe_token(token: str) -> Subscriber:
    try:
        payload = _unsubscribe_serializer().loads(token)
    except BadSignature:
        raise PressureError(
            gettext(
                "This unsubscribe link is not valid. Use the link from "
                "one of our emails, or write to us and we will remove "
                "you."
            )
        ) from None
    subscriber = _subscriber_for(payload)
    if subscriber is None:
        raise PressureError(
            gettext("This unsubscribe link is no longer valid: the address is not on our list.")
        )
    return subscriber


def subscribe(
    email: str,
    house: str | None,
    senate: str | None,
    now: dt.datetime | None = None,
    language: str | None = None,
) -> bool:
    """Start (or restart) a double opt-in.  The districts take effect only
    when the link is followed, so a stranger cannot change someone's
    subscription.  Returns whether a confirmation email was queued (a repeat
    sign-up within ten minutes queues none).  Says the same to the page
    either way, so the form does not reveal who is subscribed.  ``language``
    (the sign-up page's) is the language of the emails, kept on the subscriber."""
    now = now or utcnow()
    address = normalize_email(email)
    if house is None and senate is None:
        raise PressureError(
            gettext("Give your district (or address) so we send alerts for your legislators.")
        )
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
    elif (
        subscriber.confirm_sent_at is not None
        and (now - subscriber.confirm_sent_at).total_seconds() < CONFIRM_RESEND_SECONDS
    ):
        return False
    if language is not None:
        subscriber.language = i18n.code_of(language)
    subscriber.confirm_sent_at = now
    queue_confirmation(subscriber, house, senate, now)
    return True


def confirm(
    subscriber: Subscriber, house: str | None, senate: str | None, now: dt.datetime | None = None
) -> None:
    now = now or utcnow()
    subscriber.house_district, subscriber.senate_district = house, senate
    subscriber.confirmed_at = subscriber.confirmed_at or now
    subscriber.unsubscribed_at = None
    subscriber.bounced_at, subscriber.bounce_reason = None, None


def unsubscribe(subscriber: Subscriber, now: dt.datetime | None = None) -> bool:
    """Idempotent; cancels queued messages.  False when already unsubscribed."""
    now = now or utcnow()
    db.session.execute(
        update(OutboxMessage)
        .where(
            OutboxMessage.subscriber_id == subscriber.id,
            OutboxMessage.status == "queued",
        )
        .values(status="failed", last_error="unsubscribed before sending")
    )
    if subscriber.unsubscribed_at is not None:
        return False
    subscriber.unsubscribed_at = now
    return True


def record_bounce(email: str, reason: str, now: dt.datetime | None = None) -> bool:
    """Stop mailing an address that bounced (a refusal at sending time, or a
    bounce report staff received).  False when the address is unknown."""
    now = now or utcnow()
    subscriber = db.session.scalar(
        select(Subscriber).where(Subscriber.email == (email or "").strip().lower())
    )
    if subscriber is None:
        return False
    subscriber.bounced_at, subscriber.bounce_reason = now, reason[:2000]
    db.session.execute(
        update(OutboxMessage)
        .where(
            OutboxMessage.subscriber_id == subscriber.id,
            OutboxMessage.status == "queued",
        )
        .values(status="failed", last_error=f"address bounced: {reason}"[:2000])
    )
    return True


def queue_confirmation(
    subscriber: Subscriber, house: str | None, senate: str | None, now: dt.datetime
) -> None:
    db.session.flush()
    with public_urls(), i18n.speaking(subscriber.language):
        token = confirm_token(subscriber, house, senate)
        unsubscribe_url = external("public.alert_unsubscribe", token=unsubscribe_token(subscriber))
        body = render_template(
            "email/confirm.txt",
            confirm_url=external("public.alert_confirm", token=token),
            house=house,
            senate=senate,
            unsubscribe_url=unsubscribe_url,
        )
        subject = gettext("Confirm your %(org)s alerts", org=current().org_name)
    db.session.execute(
        insert(OutboxMessage),
        [message_row(subscriber, "confirm", subject, body, unsubscribe_url, None, now)],
    )
