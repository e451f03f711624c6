"""Alert and follow-up email through a local SMTP server (aiosmtpd on 127.0.0.1):
content, recipients by district, headers, no duplicates after a crash and
restart, transient failures retried, permanent failures and bounces recorded."""

from __future__ import annotations

import email
import socket
import threading
from collections import Counter, defaultdict
from collections.abc import Iterator
from email import policy
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from flask import Flask
from sqlalchemy import delete, select, update

from tests.test_pressure import committee_world, published_alert, world
from tracker import alerts, localtime
from tracker.alerts import smtp as mail
from tracker.extensions import db
from tracker.models import Alert, MemberVote, OutboxMessage, Subscriber
from tracker.models.common import utcnow
from tracker.settings import of, override


@pytest.fixture(autouse=True)
def _demo(demo_no_alerts: None) -> None:
    """Every test here starts from the demo legislature without its alert."""


class Handler:
    def __init__(self) -> None:
        self.received: list[tuple[str, bytes]] = []
        self.reject: set[str] = set()
        self.tempfail: dict[str, int] = defaultdict(int)

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, rcpt_options: Any
    ) -> str:
        if address in self.reject:
            return "550 5.1.1 mailbox unknown"
        if self.tempfail[address] > 0:
            self.tempfail[address] -= 1
            return "451 4.3.0 try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        for rcpt in envelope.rcpt_tos:
            self.received.append((rcpt, envelope.content))
        return "250 OK"

    def counts(self) -> Counter[str]:
        return Counter(rcpt for rcpt, _ in self.received)

    def parsed(self, rcpt: str) -> list[email.message.EmailMessage]:
        return [
            email.message_from_bytes(c, policy=policy.default)  # type: ignore[misc]
            for r, c in self.received
            if r == rcpt
        ]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def smtp(app: Flask) -> Iterator[Handler]:
    handler = Handler()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    override(
        app,
        TRACKER_SMTP_URL=f"smtp://127.0.0.1:{port}?timeout=5",
        TRACKER_MAIL_FROM="alerts@example.org",
        TRACKER_PUBLIC_URL="https://action.example.org",
    )
    yield handler
    controller.stop()


def subscribe(address: str, house: str | None, senate: str | None) -> Subscriber:
    alerts.subscribe(address, house, senate)
    subscriber = db.session.scalars(select(Subscriber).where(Subscriber.email == address)).one()
    alerts.confirm(subscriber, house, senate)
    db.session.execute(delete(OutboxMessage).where(OutboxMessage.kind == "confirm"))
    db.session.commit()
    return subscriber


def test_smtp_url_parsing() -> None:
    s = mail.parse_smtp_url("smtp://us%40er:p%3Ass@mail.example.org:587?starttls=1&timeout=9")
    assert (s.host, s.port, s.starttls, s.username, s.password, s.timeout) == (
        "mail.example.org",
        587,
        True,
        "us@er",
        "p:ss",
        9.0,
    )
    assert mail.parse_smtp_url("smtps://mail.example.org").port == 465
    assert "p:ss" not in s.describe()
    for bad in (
        "",
        "http://x",
        "smtp://",
        "smtp://h:x",
        "smtps://h?starttls=1",
        "smtp://h?timeout=0",
    ):
        with pytest.raises(mail.MailConfigError):
            mail.parse_smtp_url(bad)


def test_alert_then_follow_up(app: Flask, smtp: Handler) -> None:
    """A committee alert (the demo's House committee and its roll call on HF 11): the
    members' constituents get the alert, and the follow-up once the vote is verified."""
    c = committee_world()
    rc = c["rc"]
    rc.verified = False
    chosen = c["voters"][:2]  # the chair and vice chair
    alert = published_alert(
        c["bill"], target="committee", chamber="house", committee_id=c["committee"].id
    )
    alerts.link_roll_call(alert, rc, actor="test")
    db.session.commit()
    inside = subscribe("member-a@example.org", chosen[0].district, None)
    subscribe("member-b@example.org", chosen[1].district, chosen[1].district[:-1])
    members = {t.district for t in c["voters"]}
    outside = next(
        t.district for t in alerts.seated("house", localtime.today()) if t.district not in members
    )
    subscribe("member-c@example.org", outside, None)
    pending = subscribe("member-d@example.org", chosen[0].district, None)
    pending.confirmed_at = None
    db.session.commit()
    smtp.received.clear()  # the confirmation emails

    counts, result = alerts.run_mail_job()
    assert counts["alert"] == 2 and result.sent == 2, [
        m.last_error for m in db.session.scalars(select(OutboxMessage))
    ]
    assert set(smtp.counts()) == {"member-a@example.org", "member-b@example.org"}
    message = smtp.parsed(inside.email)[0]
    person = chosen[0].person
    body = message.get_content()
    assert person.name in body and (person.phone or "") in body
    # the call script's {position}, and the ask (tracker.asks) in the committee
    assert f"district {chosen[0].district} to vote YES in committee on HF 11" in body
    assert (
        f"district {chosen[0].district}) to vote YES on HF 11 in the Working Families "
        "committee" in body
    )
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    unsubscribe = message["List-Unsubscribe"].strip("<>")
    assert unsubscribe.startswith("https://action.example.org/alerts/unsubscribe/")
    assert unsubscribe in body
    assert message["Message-ID"].endswith("@example.org>")

    # Nothing more until the roll call is verified; running again sends nothing twice.
    alerts.run_mail_job()
    assert sum(smtp.counts().values()) == 2
    db.session.expire_all()
    rc = db.session.get(type(rc), rc.id)
    rc.verified = True
    db.session.commit()
    counts, result = alerts.run_mail_job()
    assert counts["followup"] == 2 and result.sent == 2
    followup = smtp.parsed(inside.email)[1].get_content()
    option = db.session.scalar(
        select(MemberVote.option).where(
            MemberVote.roll_call_id == rc.id, MemberVote.person_id == person.id
        )
    )
    assert f"{person.name} voted {option.upper()}" in followup
    assert "score" in followup
    alerts.run_mail_job()
    assert smtp.counts() == Counter({"member-a@example.org": 2, "member-b@example.org": 2})


class Crash(BaseException):
    """Stands in for the process dying (SIGKILL) in the middle of a batch."""


class CrashingMailer(mail.Mailer):
    def __init__(self, settings: mail.SmtpSettings, after: int) -> None:
        super().__init__(settings)
        self.left = after

    def send(self, message: Any, sender: str, recipient: str) -> mail.SendResult:
        if self.left == 0:
            raise Crash
        self.left -= 1
        return super().send(message, sender, recipient)


def test_no_duplicates_after_crash_and_restart(app: Flask, smtp: Handler) -> None:
    w = world()
    alert = published_alert(w["bill"])
    district = alert.targets[0].district
    for i in range(30):
        subscribe(f"crash-{i:02d}@example.org", None, district)
    smtp.received.clear()
    alerts.queue_pending()
    override(app, TRACKER_MAIL_CLAIM_CHUNK=10)
    settings = mail.parse_smtp_url(of(app).smtp_url)
    with CrashingMailer(settings, after=15) as mailer, pytest.raises(Crash):
        alerts.send_batch(mailer=mailer)
    db.session.rollback()  # the dead process's uncommitted work is gone
    assert sum(smtp.counts().values()) == 15
    # Restart: nothing claimed by the dead sender is sent again.
    assert alerts.recover_interrupted(stale_seconds=0) == 10  # 5 delivered, 5 never tried
    result = alerts.send_batch()
    assert result.sent == 10
    assert max(smtp.counts().values()) == 1
    statuses = Counter(
        m.status
        for m in db.session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "alert"))
    )
    assert statuses == Counter({"sent": 20, "failed": 10})
    failed = db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.status == "failed")
    ).first()
    assert "never sent again" in (failed.last_error or "")


@pytest.mark.committed
def test_two_mail_runs_at_once_queue_each_message_once(app: Flask) -> None:
    """Two mail jobs (a stuck scheduler and its successor) queue at the same moment:
    neither fails, and every subscriber gets one alert email."""
    alert = published_alert(world()["bill"])
    district = alert.targets[0].district
    for i in range(40):
        subscribe(f"race-{i:02d}@example.org", None, district)
    db.session.remove()
    barrier = threading.Barrier(2)
    counts: list[int] = []
    errors: list[BaseException] = []

    def run() -> None:
        try:
            with app.app_context():
                barrier.wait(timeout=30)
                counts.append(alerts.queue_pending()["alert"])
                db.session.remove()
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    assert sorted(counts) == [0, 40]
    per_address = Counter(
        m.to_email
        for m in db.session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "alert"))
    )
    assert len(per_address) == 40 and set(per_address.values()) == {1}


def test_transient_failure_retried_permanent_recorded(app: Flask, smtp: Handler) -> None:
    w = world()
    alert = published_alert(w["bill"])
    district = alert.targets[0].district
    subscribe("busy@example.org", None, district)
    subscribe("gone@example.org", None, district)
    subscribe("fine@example.org", None, district)
    smtp.received.clear()
    smtp.tempfail["busy@example.org"] = 1
    smtp.reject.add("gone@example.org")
    counts, result = alerts.run_mail_job()
    assert (result.sent, result.retry, result.failed, result.bounced) == (1, 1, 1, 1)
    gone = db.session.scalars(
        select(Subscriber).where(Subscriber.email == "gone@example.org")
    ).one()
    assert gone.bounced_at is not None and "550" in (gone.bounce_reason or "")
    busy = db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.to_email == "busy@example.org")
    ).one()
    assert busy.status == "queued" and "451" in (busy.last_error or "")
    busy.next_attempt_at = utcnow()
    db.session.commit()
    result = alerts.send_batch()
    assert result.sent == 1
    assert smtp.counts() == Counter({"busy@example.org": 1, "fine@example.org": 1})
    # A bounced address gets no further alert.
    alert2 = published_alert(w["bill"], title="Second")
    assert all(
        m.to_email != "gone@example.org"
        for m in db.session.scalars(
            select(OutboxMessage).where(OutboxMessage.alert_id == alert2.id)
        )
    )
    assert alerts.queue_alert_messages(db.session.get(Alert, alert2.id)) == 2


def test_unreachable_server_keeps_messages_queued(app: Flask) -> None:
    override(
        app,
        TRACKER_SMTP_URL=f"smtp://127.0.0.1:{free_port()}?timeout=2",
        TRACKER_MAIL_FROM="alerts@example.org",
    )
    w = world()
    alert = published_alert(w["bill"])
    subscribe("later@example.org", None, alert.targets[0].district)
    counts, result = alerts.run_mail_job()
    assert result.sent == 0 and result.error and "cannot reach" in result.error
    statuses = {m.status for m in db.session.scalars(select(OutboxMessage))}
    assert statuses == {"queued"}
    from tracker import jobs

    db.session.execute(update(OutboxMessage).values(next_attempt_at=utcnow()))
    db.session.commit()
    run = jobs.mail(triggered_by="test")
    assert run is not None and run.status == "failed"
