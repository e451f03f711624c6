"""The outbox: alert emails and follow-ups queued, then sent at most once.

Messages are rendered into ``OutboxMessage`` rows, unique per (alert,
subscriber, kind), and sent by the scheduler's ``mail`` job over SMTP
(:mod:`tracker.alerts.smtp`).  Delivery is **at most once**: a message is
claimed (``queued`` -> ``sending``, committed) before it is handed to the SMTP
server and only ``queued`` messages are ever claimed, so a crash can lose a
claimed message (it is reported as failed, "interrupted") but never sends one
twice.  Only failures that certainly left the message undelivered (4xx replies,
no connection) are retried."""

from __future__ import annotations

import datetime as dt
import os
import secrets
import socket
import time
from collections import defaultdict
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import format_datetime, formataddr, parseaddr
from typing import Any

from flask import render_template
from flask_babel import gettext
from sqlalchemy import func, insert, select, update

from tracker import asks, edits, i18n
from tracker.alerts.common import external, message_row, public_urls
from tracker.alerts.lifecycle import alert_state, auto_link_roll_calls
from tracker.alerts.placeholders import alert_ask, localized_fill, position_text
from tracker.alerts.smtp import MailConfigError, Mailer, SmtpUnavailable, parse_smtp_url
from tracker.alerts.standing import matched, score_effect
from tracker.alerts.subscriptions import record_bounce, unsubscribe_token
from tracker.extensions import db
from tracker.models import Alert, AlertTarget, MemberVote, OutboxMessage, RollCall, Subscriber
from tracker.models.common import utcnow
from tracker.settings import current

MAX_ATTEMPTS = 5
STALE_SENDING_SECONDS = 600
IN_DOUBT = (
    "interrupted while handing the message to the mail server; it may or may not "
    "have been delivered and is never sent again (at-most-once delivery)"
)


# ---------------------------------------------------------------- queueing


def _district_of(subscriber: Subscriber, chamber: str) -> str | None:
    return subscriber.house_district if chamber == "house" else subscriber.senate_district


def _recipients(alert: Alert, kind: str) -> list[tuple[Subscriber, AlertTarget]]:
    """Active subscribers whose seat in the alert's chamber is targeted and
    who have no ``kind`` message for the alert yet."""
    by_district = {t.district: t for t in alert.targets}
    column = Subscriber.house_district if alert.chamber == "house" else Subscriber.senate_district
    already = select(OutboxMessage.subscriber_id).where(
        OutboxMessage.alert_id == alert.id, OutboxMessage.kind == kind
    )
    query = (
        select(Subscriber)
        .where(
            Subscriber.confirmed_at.is_not(None),
            Subscriber.unsubscribed_at.is_(None),
            Subscriber.bounced_at.is_(None),
            column.in_(list(by_district)),
            Subscriber.id.not_in(already),
        )
        .order_by(Subscriber.id)
    )
    if kind == "followup":  # only those who were sent the alert
        got_alert = select(OutboxMessage.subscriber_id).where(
            OutboxMessage.alert_id == alert.id,
            OutboxMessage.kind == "alert",
            OutboxMessage.status == "sent",
        )
        query = query.where(Subscriber.id.in_(got_alert))
    return [
        (s, by_district[_district_of(s, alert.chamber) or ""]) for s in db.session.scalars(query)
    ]


def _insert_chunks(rows: list[dict[str, Any]], chunk: int = 1000) -> None:
    for start in range(0, len(rows), chunk):
        db.session.execute(insert(OutboxMessage), rows[start : start + chunk])


def queue_alert_messages(alert: Alert, now: dt.datetime | None = None) -> int:
    """One email per subscriber in the targeted districts (none twice).  The alert
    is locked first: a second run queueing it at the same moment waits, then finds
    every message already queued."""
    now = now or utcnow()
    edits.lock(alert)
    if alert.status != "published" or alert_state(alert, now) != "open":
        return 0
    if alert.roll_call is not None and alert.roll_call.verified:
        return 0  # the vote is over: no more calls to action
    recipients = _recipients(alert, "alert")
    known: dict[int, asks.Ask] = {}

    def their_ask(person_id: int, chamber: str) -> asks.Ask:
        """One per targeted legislator, not one per subscriber (its words are put in
        the language being rendered when the email is)."""
        if person_id not in known:
            known[person_id] = alert_ask(alert, person_id, chamber)
        return known[person_id]

    rows = []
    with public_urls():
        alert_url = external("public.alert_page", public_id=alert.public_id)
        for subscriber, target in recipients:
            person = target.person
            unsubscribe_url = external(
                "public.alert_unsubscribe", token=unsubscribe_token(subscriber)
            )
            with i18n.speaking(subscriber.language):  # the subscriber's language
                body = render_template(
                    "email/alert.txt",
                    alert=alert,
                    person=person,
                    target=target,
                    script=localized_fill(
                        "call_script", alert, person, target.district, target.chamber
                    ),
                    email_text=localized_fill(
                        "email_template", alert, person, target.district, target.chamber
                    ),
                    their_ask=their_ask(person.id, target.chamber),
                    ask=position_text(alert),
                    alert_url=alert_url + f"?district={target.district}",
                    unsubscribe_url=unsubscribe_url,
                )
                subject = gettext("Action alert: %(title)s", title=i18n.localized(alert, "title"))
            rows.append(
                message_row(subscriber, "alert", subject, body, unsubscribe_url, alert, now)
            )
    _insert_chunks(rows)
    alert.alert_mail_queued_at = alert.alert_mail_queued_at or now
    return len(rows)


def queue_followups(alert: Alert, now: dt.datetime | None = None) -> int:
    """After the targeted roll call is verified: how each subscriber's
    legislator voted and what it does to the score.  Locks the alert, as
    :func:`queue_alert_messages` does."""
    now = now or utcnow()
    edits.lock(alert)
    rc = alert.roll_call
    if rc is None or not rc.verified or alert.status not in ("published", "closed"):
        return 0
    votes = dict(
        db.session.execute(
            select(MemberVote.person_id, MemberVote.option).where(MemberVote.roll_call_id == rc.id)
        ).all()
    )
    recipients = _recipients(alert, "followup")
    effects: dict[tuple[int, str], str] = {}  # by legislator and language
    rows = []
    with public_urls():
        alert_url = external("public.alert_page", public_id=alert.public_id)
        for subscriber, target in recipients:
            person = target.person
            option = votes.get(person.id)
            unsubscribe_url = external(
                "public.alert_unsubscribe", token=unsubscribe_token(subscriber)
            )
            with i18n.speaking(subscriber.language):  # the subscriber's language
                said = (person.id, i18n.code_of(subscriber.language))
                if said not in effects:
                    effects[said] = score_effect(alert, person, option)
                body = render_template(
                    "email/followup.txt",
                    alert=alert,
                    person=person,
                    target=target,
                    rc=rc,
                    option=option,
                    matched=matched(alert, option),
                    ask=position_text(alert),
                    effect=effects[said],
                    alert_url=alert_url,
                    unsubscribe_url=unsubscribe_url,
                )
                subject = gettext(
                    "How %(name)s voted: %(bill)s", name=person.name, bill=alert.bill.label
                )
            rows.append(
                message_row(subscriber, "followup", subject, body, unsubscribe_url, alert, now)
            )
    _insert_chunks(rows)
    alert.followup_queued_at = alert.followup_queued_at or now
    return len(rows)


def queue_pending(now: dt.datetime | None = None) -> dict[str, int]:
    """What the mail job queues before sending: alert emails of newly
    published alerts, and follow-ups of alerts whose roll call is verified.
    Commits what the caller left open first: it is one writing transaction."""
    now = now or utcnow()
    db.session.commit()
    with edits.writing():
        return _queue_pending(now)


def _queue_pending(now: dt.datetime) -> dict[str, int]:
    counts = {"alert": 0, "followup": 0, "linked": auto_link_roll_calls()}
    # Every open alert, every run: subscribers who confirm while it is open get it too.
    # In id order, so that two runs lock alerts in the same order and never deadlock.
    for alert in db.session.scalars(
        select(Alert).where(Alert.status == "published").order_by(Alert.id)
    ).all():
        counts["alert"] += queue_alert_messages(alert, now)
        alert.alert_mail_queued_at = alert.alert_mail_queued_at or now
    waiting = db.session.scalars(
        select(Alert)
        .join(RollCall, Alert.roll_call_id == RollCall.id)
        .where(
            Alert.status.in_(("published", "closed")),
            Alert.followup_queued_at.is_(None),
            RollCall.verified.is_(True),
        )
        .order_by(Alert.id)
    ).all()
    for alert in waiting:
        # Follow-ups go to those who were sent the alert: wait until its mail is out.
        unsent = db.session.scalar(
            select(func.count())
            .select_from(OutboxMessage)
            .where(
                OutboxMessage.alert_id == alert.id,
                OutboxMessage.kind == "alert",
                OutboxMessage.status.in_(("queued", "sending")),
            )
        )
        if alert.alert_mail_queued_at is not None and not unsent:
            counts["followup"] += queue_followups(alert, now)
    db.session.commit()
    return counts


# ---------------------------------------------------------------- sending


def _domain() -> str:
    sender = parseaddr(current().mail_from)[1]
    return sender.rpartition("@")[2] or "localhost"


def build_email(message: OutboxMessage, sender: str) -> EmailMessage:
    email = EmailMessage()
    org = current().org_name
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


def recover_interrupted(now: dt.datetime | None = None, stale_seconds: int | None = None) -> int:
    """Messages left in ``sending`` by a sender that died: they may have been
    handed to the server, so they are marked failed, never sent again."""
    now = now or utcnow()
    stale = stale_seconds if stale_seconds is not None else current().mail_stale_seconds
    result = db.session.execute(
        update(OutboxMessage)
        .where(
            OutboxMessage.status == "sending",
            OutboxMessage.claimed_at <= now - dt.timedelta(seconds=stale),
        )
        .values(status="failed", last_error=IN_DOUBT)
        .execution_options(synchronize_session=False)
    )
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
        text = (
            f"sent {self.sent}, to retry {self.retry}, failed {self.failed} "
            f"(bounced {self.bounced}, in doubt {self.in_doubt})"
        )
        return f"{text}; {self.error}" if self.error else text


def _claim(worker: str, limit: int, now: dt.datetime) -> list[int]:
    """Claim up to ``limit`` due messages (confirmations first), committed
    before any of them is sent.  Safe against a second sender."""
    ids = db.session.scalars(
        select(OutboxMessage.id)
        .where(
            OutboxMessage.status == "queued",
            OutboxMessage.next_attempt_at <= now,
        )
        .order_by((OutboxMessage.kind != "confirm"), OutboxMessage.id)
        .limit(limit)
    ).all()
    if not ids:
        db.session.rollback()
        return []
    db.session.execute(
        update(OutboxMessage)
        .where(
            OutboxMessage.id.in_(ids),
            OutboxMessage.status == "queued",
        )
        .values(
            status="sending", claimed_at=now, claimed_by=worker, attempts=OutboxMessage.attempts + 1
        )
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return list(
        db.session.scalars(
            select(OutboxMessage.id)
            .where(
                OutboxMessage.id.in_(ids),
                OutboxMessage.claimed_by == worker,
                OutboxMessage.status == "sending",
            )
            .order_by(OutboxMessage.id)
        )
    )


def send_batch(
    limit: int | None = None,
    *,
    time_budget: float | None = None,
    mailer: Any = None,
    worker: str | None = None,
) -> BatchResult:
    """Send up to ``limit`` due messages within ``time_budget`` seconds."""
    settings = current()
    limit = limit if limit is not None else settings.mail_batch_size
    budget = time_budget if time_budget is not None else settings.mail_time_budget
    chunk = max(1, settings.mail_claim_chunk)
    sender = parseaddr(settings.mail_from)[1]
    result = BatchResult()
    if not sender:
        result.error = "TRACKER_MAIL_FROM is not set"
        return result
    worker = worker or worker_name()
    owned = mailer is None
    if mailer is None:
        try:
            mailer = Mailer(parse_smtp_url(settings.smtp_url))
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
            messages = db.session.scalars(
                select(OutboxMessage).where(OutboxMessage.id.in_(ids)).order_by(OutboxMessage.id)
            ).all()
            unavailable = None
            for message in messages:
                if unavailable is not None:
                    _requeue(message, unavailable, count_attempt=False)
                    continue
                try:
                    outcome = mailer.send(build_email(message, sender), sender, message.to_email)
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
        message.status, message.last_error = (
            "failed",
            (IN_DOUBT + f" ({outcome.error})" if outcome.kind == "in_doubt" else outcome.error)[
                :2000
            ],
        )
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
        OutboxMessage.kind, OutboxMessage.status
    )
    if alert is not None:
        query = query.where(OutboxMessage.alert_id == alert.id)
    found: dict[str, dict[str, int]] = defaultdict(dict)
    for kind, status, count in db.session.execute(query):
        found[kind][status] = count
    return dict(found)
