"""Sign-ups: double opt-in, duplicates, forged and expired tokens, one-click unsubscribe."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from itsdangerous import URLSafeTimedSerializer
from sqlalchemy import select

import tests.test_pressure  # noqa: F401  (registers the alert routes)
from tests.conftest import csrf_token
from tracker import alerts
from tracker.alerts import subscriptions
from tracker.extensions import db
from tracker.models import OutboxMessage, SchedulerLease, Subscriber
from tracker.models.common import utcnow
from tracker.settings import override

LINK = re.compile(r"http://localhost/alerts/(confirm|unsubscribe)/(\S+)")


def _signup(client: FlaskClient, email: str, district: str = "3A") -> object:
    token = csrf_token(client, "/alerts/subscribe")
    return client.post(
        "/alerts/subscribe", data={"email": email, "district": district, "csrf_token": token}
    )


def _links(email: str) -> dict[str, str]:
    message = db.session.scalars(
        select(OutboxMessage)
        .where(OutboxMessage.to_email == email, OutboxMessage.kind == "confirm")
        .order_by(OutboxMessage.id.desc())
    ).first()
    assert message is not None
    return {kind: f"/alerts/{kind}/{token}" for kind, token in LINK.findall(message.body)}


def mail_works(app: Flask) -> None:
    """An SMTP server is set and a scheduler renewed its lease just now."""
    now = utcnow()
    override(app, TRACKER_SMTP_URL="smtp://mail.example.org:587")
    db.session.add(
        SchedulerLease(
            name="scheduler",
            holder="test",
            heartbeat_at=now,
            expires_at=now + dt.timedelta(minutes=1),
        )
    )
    db.session.commit()


def test_sign_up_says_so_when_email_cannot_go(
    app: Flask, client: FlaskClient, auth: Any, staff_user: Any
) -> None:
    """No SMTP server and no scheduler: the member is not told an email was sent,
    and staff are told what is missing."""
    response = _signup(client, "member.two@example.org", "3a")
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "You are signed up" in page
    assert "We sent" not in page and "paused" in page
    assert db.session.scalars(select(Subscriber)).one().email == "member.two@example.org"
    auth.login()
    staff = client.get("/staff/alerts").get_data(as_text=True)
    assert "Email is not going out:" in staff and "TRACKER_SMTP_URL" in staff
    assert "tracker scheduler" in staff
    mail_works(app)
    assert "Email is not going out" not in client.get("/staff/alerts").get_data(as_text=True)


def test_double_opt_in(app: Flask, client: FlaskClient) -> None:
    override(app, TRACKER_PUBLIC_URL="http://localhost")
    mail_works(app)
    response = _signup(client, "Member.One@Example.org", "3a")
    assert response.status_code == 200 and "Check your inbox" in response.get_data(as_text=True)
    subscriber = db.session.scalars(select(Subscriber)).one()
    assert subscriber.email == "member.one@example.org"
    assert subscriber.confirmed_at is None and subscriber.house_district is None
    links = _links(subscriber.email)
    # GET shows a button (link scanners must not confirm); POST confirms.
    page = client.get(links["confirm"])
    assert page.status_code == 200 and "Confirm" in page.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Subscriber, subscriber.id).confirmed_at is None
    token = csrf_token(client, links["confirm"])
    done = client.post(links["confirm"], data={"csrf_token": token})
    assert done.status_code == 200 and "House district 3A" in done.get_data(as_text=True)
    db.session.expire_all()
    subscriber = db.session.get(Subscriber, subscriber.id)
    assert (subscriber.house_district, subscriber.senate_district) == ("3A", "3")
    assert subscriber.active
    # Columns: an address and districts, never a street address.
    assert not {c.name for c in Subscriber.__table__.columns} & {"address", "street"}


def test_duplicates_and_district_changes_need_confirmation(app: Flask, client: FlaskClient) -> None:
    _signup(client, "dup@example.org", "3A")
    again = _signup(client, "dup@example.org", "5B")
    assert again.status_code == 200
    assert db.session.query(Subscriber).count() == 1
    # Within ten minutes no second email is queued (no mail bombing through the form).
    assert db.session.query(OutboxMessage).count() == 1
    subscriber = db.session.scalars(select(Subscriber)).one()
    alerts.confirm(subscriber, "3A", "3")
    subscriber.confirm_sent_at = None
    db.session.commit()
    alerts.subscribe("dup@example.org", "5B", "5")
    db.session.commit()
    # A new sign-up does not change the districts until it is confirmed.
    assert db.session.get(Subscriber, subscriber.id).house_district == "3A"
    assert db.session.query(OutboxMessage).count() == 2


def test_bad_sign_ups(app: Flask, client: FlaskClient) -> None:
    assert _signup(client, "not-an-address").status_code == 400
    assert "district" in _signup(client, "a@example.org", "99").get_data(as_text=True)
    assert db.session.query(Subscriber).count() == 0


def test_forged_and_expired_tokens(app: Flask, client: FlaskClient) -> None:
    override(app, TRACKER_PUBLIC_URL="http://localhost")
    _signup(client, "victim@example.org")
    subscriber = db.session.scalars(select(Subscriber)).one()
    forged = URLSafeTimedSerializer("wrong-key", salt="alert-confirm").dumps(
        [subscriber.id, subscriber.token_key, "3A", "3"]
    )
    assert client.get(f"/alerts/confirm/{forged}").status_code == 400
    assert client.post(f"/alerts/unsubscribe/{forged}").status_code == 400
    # Right key, wrong subscriber secret.
    guessed = subscriptions._unsubscribe_serializer().dumps([subscriber.id, "0" * 32])
    assert client.post(f"/alerts/unsubscribe/{guessed}").status_code == 400
    db.session.expire_all()
    assert db.session.get(Subscriber, subscriber.id).unsubscribed_at is None
    # Expired: signed eight days ago.
    old = URLSafeTimedSerializer(app.config["SECRET_KEY"], salt="alert-confirm")
    import time

    real = time.time
    try:
        time.time = lambda: real() - 8 * 86400  # type: ignore[assignment]
        expired = old.dumps([subscriber.id, subscriber.token_key, "3A", "3"])
    finally:
        time.time = real  # type: ignore[assignment]
    response = client.get(f"/alerts/confirm/{expired}")
    assert response.status_code == 400 and "expired" in response.get_data(as_text=True)


def test_one_click_unsubscribe(app: Flask, client: FlaskClient) -> None:
    override(app, TRACKER_PUBLIC_URL="http://localhost")
    _signup(client, "leaver@example.org")
    links = _links("leaver@example.org")
    subscriber = db.session.scalars(select(Subscriber)).one()
    alerts.confirm(subscriber, "3A", "3")
    db.session.commit()
    # GET never unsubscribes (scanners prefetch); the RFC 8058 POST does, without CSRF.
    assert client.get(links["unsubscribe"]).status_code == 200
    db.session.expire_all()
    assert db.session.get(Subscriber, subscriber.id).unsubscribed_at is None
    response = client.post(
        links["unsubscribe"],
        data="List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    db.session.expire_all()
    assert not db.session.get(Subscriber, subscriber.id).active
    assert client.post(links["unsubscribe"]).status_code == 200  # idempotent
    # The queued confirmation was cancelled, not sent.
    assert {m.status for m in db.session.scalars(select(OutboxMessage))} == {"failed"}
