"""Following by email, without an account: double opt-in, the manage page's
link, one-click unfollowing.

The follower is a :class:`Subscriber` (the address normalised as action-alert
sign-ups do, :func:`tracker.alerts.normalize_email`).  A sign-up makes a
*pending* follow and queues a confirmation email (through the outbox, at most
once) with a signed link that lasts a week; the follow, and the frequency asked
for, take effect only when the link is followed and its button pressed, so a
stranger can neither follow on someone's behalf nor change how often they hear.

Links in every follow email are signed with the subscriber's ``token_key`` (as
alert unsubscribe links are): the manage page, one follow's one-click stop and
the stop-everything link.  Erasing the subscriber (``tracker subscribers erase``)
makes them all dead.
"""

from __future__ import annotations

import datetime as dt
import hmac
from typing import Any

from flask import render_template
from flask_babel import gettext
from itsdangerous import BadSignature, SignatureExpired, URLSafeSerializer, URLSafeTimedSerializer
from sqlalchemy import insert, select, update
from sqlalchemy.exc import IntegrityError

from tracker import i18n
from tracker.alerts.common import PressureError, external, message_row, public_urls
from tracker.alerts.subscriptions import (
    CONFIRM_MAX_AGE,
    CONFIRM_RESEND_SECONDS,
    _subscriber_for,
    normalize_email,
)
from tracker.extensions import db
from tracker.follows.targets import Target, district_label
from tracker.models import Follow, OutboxMessage, Subscriber
from tracker.models.common import utcnow
from tracker.models.follows import FREQUENCIES
from tracker.settings import current

# in English; shown through tracker.i18n.word (its ELSEWHERE marks them)
FREQUENCY_WORDS = {"immediate": "as it happens", "daily": "daily digest", "weekly": "weekly digest"}
FOLLOW_MESSAGE_KINDS = ("event", "digest")


# ---------------------------------------------------------------- signed links


def _timed(salt: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current().secret_key, salt=salt)


def _plain(salt: str) -> URLSafeSerializer:
    return URLSafeSerializer(current().secret_key, salt=salt)


def confirm_token(follow: Follow, frequency: str) -> str:
    return str(_timed("follow-confirm").dumps([follow.id, follow.subscriber.token_key, frequency]))


def manage_token(subscriber: Subscriber) -> str:
    return str(_plain("follow-manage").dumps([subscriber.id, subscriber.token_key]))


def stop_all_token(subscriber: Subscriber) -> str:
    return str(_plain("follow-stop-all").dumps([subscriber.id, subscriber.token_key]))


def stop_token(follow_id: int, token_key: str) -> str:
    return str(_plain("follow-stop").dumps([follow_id, token_key]))


def _follow_for(payload: Any) -> Follow | None:
    if not isinstance(payload, list) or len(payload) < 2 or not isinstance(payload[0], int):
        return None
    follow = db.session.get(Follow, payload[0])
    if follow is None or not hmac.compare_digest(follow.subscriber.token_key, str(payload[1])):
        return None
    return follow


BAD_LINK = i18n.N_(
    "This link is not valid. Use the link from one of our emails, or write to "
    "us and we will change your follows for you."
)
GONE = i18n.N_("This link is no longer valid: the address or the follow is not on our list.")


def read_confirm_token(token: str) -> tuple[Follow, str]:
    try:
        payload = _timed("follow-confirm").loads(token, max_age=CONFIRM_MAX_AGE)
    except SignatureExpired:
        raise PressureError(
            gettext(
                "This confirmation link has expired (links last 7 days). "
                "Follow again to get a new one."
            )
        ) from None
    except BadSignature:
        raise PressureError(
            gettext(
                "This confirmation link is not valid. Copy the whole link "
                "from the email, or follow again."
            )
        ) from None
    follow = _follow_for(payload)
    if follow is None or len(payload) != 3 or payload[2] not in FREQUENCIES:
        raise PressureError(gettext("This confirmation link is no longer valid. Follow again."))
    return follow, str(payload[2])


def _read_subscriber(token: str, salt: str) -> Subscriber:
    try:
        payload = _plain(salt).loads(token)
    except BadSignature:
        raise PressureError(gettext(BAD_LINK)) from None
    subscriber = _subscriber_for(payload)
    if subscriber is None:
        raise PressureError(gettext(GONE))
    return subscriber


def read_manage_token(token: str) -> Subscriber:
    return _read_subscriber(token, "follow-manage")


def read_stop_all_token(token: str) -> Subscriber:
    return _read_subscriber(token, "follow-stop-all")


def read_stop_token(token: str) -> Follow:
    try:
        payload = _plain("follow-stop").loads(token)
    except BadSignature:
        raise PressureError(gettext(BAD_LINK)) from None
    follow = _follow_for(payload)
    if follow is None:
        raise PressureError(gettext(GONE))
    return follow


# ---------------------------------------------------------------- labels


def label(follow: Follow) -> str:
    """What a follow follows, in words (``HF 18 (2025-2026)``, a name, a district; a
    district in the language being rendered)."""
    if follow.kind == "bill" and follow.bill is not None:
        return f"{follow.bill.label} ({follow.bill.session.identifier})"
    if follow.kind == "legislator" and follow.person is not None:
        return follow.person.name
    return district_label(follow.chamber or "", follow.district or "")


def links(subscriber: Subscriber, follow: Follow | None = None) -> dict[str, str]:
    """The signed links every follow email carries (inside :func:`public_urls`)."""
    found = {
        "manage_url": external("public.follow_manage", token=manage_token(subscriber)),
        "stop_all_url": external("public.follow_stop_all", token=stop_all_token(subscriber)),
    }
    if follow is not None:
        found["stop_url"] = external(
            "public.follow_stop", token=stop_token(follow.id, subscriber.token_key)
        )
    return found


# ---------------------------------------------------------------- signing up


def subscriber_for(address: str, now: dt.datetime) -> Subscriber:
    """The subscriber with this (normalised) address, made when new."""
    found: Subscriber | None = db.session.scalar(
        select(Subscriber).where(Subscriber.email == address)
    )
    if found is not None:
        return found
    try:
        with db.session.begin_nested():
            subscriber = Subscriber(email=address, created_at=now)
            db.session.add(subscriber)
    except IntegrityError:  # a concurrent sign-up of the same address
        found = db.session.scalar(select(Subscriber).where(Subscriber.email == address))
    return found or subscriber


def request_follow(
    email: str,
    target: Target,
    frequency: str,
    now: dt.datetime | None = None,
    language: str | None = None,
) -> bool:
    """Start (or restart) a follow: a pending follow and a confirmation email.  A
    follow already confirmed stays as it is until the new link is followed.  Returns
    whether an email was queued (at most one per follow every ten minutes); the page
    says the same either way, so the form does not reveal who follows what.
    ``language`` (the sign-up page's) is the language of the emails, kept on the
    subscriber (one per address: its alert emails too), as alert sign-ups do."""
    now = now or utcnow()
    address = normalize_email(email)
    if frequency not in FREQUENCIES:
        raise PressureError(gettext("Choose how often to hear: as it happens, daily or weekly."))
    subscriber = subscriber_for(address, now)
    follow = db.session.scalar(
        select(Follow).where(Follow.subscriber_id == subscriber.id, Follow.target_key == target.key)
    )
    if follow is None:
        follow = Follow(
            subscriber=subscriber,
            kind=target.kind,
            target_key=target.key,
            bill_id=target.bill_id,
            person_id=target.person_id,
            chamber=target.chamber,
            district=target.district,
            frequency=frequency,
            status="pending",
            created_at=now,
        )
        try:
            with db.session.begin_nested():
                db.session.add(follow)
        except IntegrityError:  # the same follow asked for twice at once
            return False
    elif (
        follow.confirm_sent_at is not None
        and (now - follow.confirm_sent_at).total_seconds() < CONFIRM_RESEND_SECONDS
    ):
        return False
    if language is not None:
        subscriber.language = i18n.code_of(language)
    follow.confirm_sent_at = now
    queue_confirmation(follow, frequency, now)
    return True


def queue_confirmation(follow: Follow, frequency: str, now: dt.datetime) -> None:
    db.session.flush()
    subscriber = follow.subscriber
    with public_urls(), i18n.speaking(subscriber.language):  # the subscriber's language
        name = label(follow)
        urls = links(subscriber, follow)
        body = render_template(
            "email/follow_confirm.txt",
            label=name,
            frequency=i18n.word(FREQUENCY_WORDS[frequency]),
            confirm_url=external("public.follow_confirm", token=confirm_token(follow, frequency)),
            **urls,
        )
        subject = gettext(
            "Confirm: follow %(name)s with %(org)s", name=name, org=current().org_name
        )
    db.session.execute(
        insert(OutboxMessage),
        [message_row(subscriber, "confirm", subject, body, urls["stop_url"], None, now)],
    )


def confirm(follow: Follow, frequency: str, now: dt.datetime | None = None) -> None:
    """The confirmation link was followed: the follow starts (or takes the new
    frequency).  Events found before it started are not sent."""
    now = now or utcnow()
    if follow.status != "active":
        follow.confirmed_at = now
    follow.status, follow.frequency, follow.stopped_at = "active", frequency, None
    subscriber = follow.subscriber
    subscriber.bounced_at, subscriber.bounce_reason = None, None  # the address works


# ---------------------------------------------------------------- changing, stopping


def change_frequency(follow: Follow, frequency: str) -> None:
    if frequency not in FREQUENCIES:
        raise PressureError(gettext("Choose how often to hear: as it happens, daily or weekly."))
    follow.frequency = frequency


def stop(follow: Follow, now: dt.datetime | None = None) -> bool:
    """Unfollow; False when already stopped."""
    if follow.status == "stopped":
        return False
    follow.status, follow.stopped_at = "stopped", now or utcnow()
    return True


def stop_all(subscriber: Subscriber, now: dt.datetime | None = None) -> int:
    """Stop every follow of the address and cancel its queued follow emails; how
    many follows stopped."""
    now = now or utcnow()
    stopped = db.session.execute(
        update(Follow)
        .where(
            Follow.subscriber_id == subscriber.id,
            Follow.status != "stopped",
        )
        .values(status="stopped", stopped_at=now)
        .execution_options(synchronize_session="fetch")
    )
    db.session.execute(
        update(OutboxMessage)
        .where(
            OutboxMessage.subscriber_id == subscriber.id,
            OutboxMessage.status == "queued",
            OutboxMessage.kind.in_(FOLLOW_MESSAGE_KINDS),
        )
        .values(status="failed", last_error="unfollowed before sending")
    )
    return int(stopped.rowcount or 0)  # type: ignore[attr-defined]


def follows_of(subscriber: Subscriber) -> list[Follow]:
    """The address's follows that are not stopped, oldest first."""
    return list(
        db.session.scalars(
            select(Follow)
            .where(Follow.subscriber_id == subscriber.id, Follow.status != "stopped")
            .order_by(Follow.created_at, Follow.id)
        )
    )


__all__ = [
    "FREQUENCY_WORDS",
    "change_frequency",
    "confirm",
    "confirm_token",
    "follows_of",
    "label",
    "links",
    "manage_token",
    "queue_confirmation",
    "read_confirm_token",
    "read_manage_token",
    "read_stop_all_token",
    "read_stop_token",
    "request_follow",
    "stop",
    "stop_all",
    "stop_all_token",
    "stop_token",
    "subscriber_for",
]
