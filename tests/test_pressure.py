"""Action alerts: lifecycle, permissions and audit (tracker.alerts, staff pages)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from tests.conftest import csrf_token
from tracker import alerts, committees, localtime
from tracker.extensions import db
from tracker.models import (
    ActionTally,
    Alert,
    AuditEvent,
    Bill,
    Committee,
    Hearing,
    RollCall,
    Term,
)
from tracker.models.common import utcnow


def world() -> dict[str, Any]:
    """The demo legislature; a Senate passage vote of the current demo session."""
    rc = db.session.scalars(
        select(RollCall)
        .join(Bill)
        .where(
            RollCall.chamber == "senate",
            RollCall.kind == "passage",
            Bill.session.has(identifier="2025-2026"),
        )
        .order_by(RollCall.id)
    ).first()
    assert rc is not None
    db.session.commit()
    return {"rc": rc, "bill": rc.bill}


def committee_world() -> dict[str, Any]:
    """The demo's committee roll call (its invented House Working Families committee of
    the current session voted on HF 11 at a past hearing), with that committee, hearing
    and bill; the committee's members who may vote today (seated)."""
    rc = db.session.scalars(
        select(RollCall).where(RollCall.kind == "committee").order_by(RollCall.id)
    ).one()
    committee = db.session.get(Committee, rc.committee_id)
    hearing = db.session.get(Hearing, rc.hearing_id)
    assert committee is not None and hearing is not None and rc.verified
    voters = [
        term for _, term in committees.voters_on(committee.id, committee.chamber, localtime.today())
    ]
    db.session.commit()
    return {"rc": rc, "committee": committee, "hearing": hearing, "bill": rc.bill, "voters": voters}


def alert_input(**kw: Any) -> alerts.AlertInput:
    values: dict[str, Any] = {
        "title": "Call your senator: vote YES",
        "target": "floor",
        "chamber": "senate",
        "ask": "yes",
        "call_script": "Please ask {legislator} of district {district} to {position} on {bill}.",
        "email_subject": "Please {position} on {bill}",
        "email_template": "Dear {legislator},\n\nPlease {position} on {bill}.",
        "summary": "Invented test alert.",
    }
    values.update(kw)
    return alerts.AlertInput(**values)


def published_alert(bill: Bill, **kw: Any) -> Alert:
    alert = alerts.create_alert(bill, alert_input(**kw), actor="test")
    alerts.mark_reviewed(alert, expected_version=None, actor="test")
    alerts.publish_alert(alert, expected_version=None, actor="test")
    db.session.commit()
    return alert


def test_lifecycle_and_audit(app: Flask, demo_no_alerts: None) -> None:
    w = world()
    alert = alerts.create_alert(w["bill"], alert_input(), actor="test")
    assert alert.status == "draft"
    with pytest.raises(alerts.PressureError, match="reviewed"):
        alerts.publish_alert(alert, expected_version=None, actor="test")
    alerts.mark_reviewed(alert, expected_version=alert.version, actor="test")
    with pytest.raises(alerts.PressureError, match="changed"):
        alerts.publish_alert(alert, expected_version=1, actor="test")
    alerts.publish_alert(alert, expected_version=alert.version, actor="test")
    seated = db.session.scalars(
        select(Term).where(
            Term.chamber == "senate",
            Term.start_date <= localtime.today(),
            (Term.end_date.is_(None)) | (Term.end_date >= localtime.today()),
        )
    ).all()
    assert {t.person_id for t in alert.targets} == {t.person_id for t in seated}
    assert db.session.query(ActionTally).filter_by(alert_id=alert.id).count() == 2 * len(
        alert.targets
    )
    with pytest.raises(alerts.PressureError, match="cannot be edited"):
        alerts.update_alert(alert, alert_input(), expected_version=None, actor="test")
    alerts.close_alert(alert, expected_version=None, actor="test", note="Vote postponed.")
    db.session.commit()
    actions = [
        e.action
        for e in db.session.scalars(
            select(AuditEvent)
            .where(AuditEvent.entity_id == alert.public_id)
            .order_by(AuditEvent.id)
        )
    ]
    assert actions == ["alert.create", "alert.review", "alert.publish", "alert.close"]
    assert alerts.pressure_report(alert).vote_status == "no_vote"


def test_bad_templates_and_deadlines(app: Flask, demo_no_alerts: None) -> None:
    w = world()
    with pytest.raises(alerts.PressureError, match="not a placeholder"):
        alerts.create_alert(w["bill"], alert_input(call_script="Hi {name}"), actor="t")
    with pytest.raises(alerts.PressureError, match="past"):
        alerts.create_alert(
            w["bill"], alert_input(deadline=dt.datetime(2020, 1, 1, tzinfo=dt.UTC)), actor="t"
        )
    with pytest.raises(alerts.PressureError, match="Choose the committee"):
        alerts.create_alert(w["bill"], alert_input(target="committee"), actor="t")
    alert = alerts.create_alert(
        w["bill"], alert_input(deadline=utcnow() + dt.timedelta(hours=1)), actor="t"
    )
    alerts.mark_reviewed(alert, expected_version=None, actor="t")
    with pytest.raises(alerts.PressureError, match="deadline has passed"):
        alerts.publish_alert(
            alert, expected_version=None, actor="t", now=utcnow() + dt.timedelta(hours=2)
        )


def test_committee_alert_targets_its_members(app: Flask, demo_no_alerts: None) -> None:
    """Nobody is ticked by hand: at publish the committee's members that day who are
    seated are the targets (none before), with the committee's chamber."""
    c = committee_world()
    alert = alerts.create_alert(
        c["bill"],
        alert_input(target="committee", chamber="senate", committee_id=c["committee"].id),
        actor="test",
    )
    assert alert.targets == [] and alert.chamber == "house"
    assert alert.committee == "Working Families"
    alerts.mark_reviewed(alert, expected_version=None, actor="test")
    alerts.publish_alert(alert, expected_version=None, actor="test")
    targets = sorted(t.person_id for t in alert.targets)
    assert targets == sorted(t.person_id for t in c["voters"]) and len(targets) == 7
    members = committees.member_ids_on(c["committee"].id, localtime.today())
    assert set(targets) == members  # every member of the demo committee holds a seat


def _staff_alert_form(bill: Bill) -> dict[str, str]:
    return {
        "session": bill.session.identifier,
        "bill": bill.key,
        "title": "Call your senator",
        "target": "floor",
        "chamber": "senate",
        "ask": "no",
        "call_script": "Ask {legislator} to {position}.",
        "email_subject": "{bill}",
        "email_template": "Dear {legislator}, {position}.",
        "summary": "",
        "committee": "",
        "hearing": "",
        "deadline": "",
    }


def test_staff_pages_and_permissions(
    app: Flask,
    client: FlaskClient,
    auth: Any,
    staff_user: Any,
    admin_user: Any,
    demo_no_alerts: None,
) -> None:
    w = world()
    assert client.get("/staff/alerts").status_code == 302  # signed out
    auth.login("staff@example.org")
    token = csrf_token(client, "/staff/alerts/new")
    response = client.post(
        "/staff/alerts/new", data={**_staff_alert_form(w["bill"]), "csrf_token": token}
    )
    assert response.status_code == 302
    alert = db.session.scalars(select(Alert)).one()
    page = client.get(response.headers["Location"])
    assert page.status_code == 200 and "Mark reviewed" in page.get_data(as_text=True)
    bad = client.post(
        "/staff/alerts/new",
        data={**_staff_alert_form(w["bill"]), "call_script": "{oops}", "csrf_token": token},
    )
    assert bad.status_code == 400 and "not a placeholder" in bad.get_data(as_text=True)
    client.post(
        f"/staff/alerts/{alert.public_id}/review", data={"version": "1", "csrf_token": token}
    )
    db.session.expire_all()
    assert db.session.get(Alert, alert.id).status == "reviewed"
    # Staff cannot publish; admins can.
    denied = client.post(
        f"/staff/alerts/{alert.public_id}/publish", data={"version": "2", "csrf_token": token}
    )
    assert denied.status_code == 403
    auth.logout()
    auth.login("admin@example.org")
    token = csrf_token(client, f"/staff/alerts/{alert.public_id}")
    client.post(
        f"/staff/alerts/{alert.public_id}/publish", data={"version": "2", "csrf_token": token}
    )
    db.session.expire_all()
    alert = db.session.get(Alert, alert.id)
    assert alert.status == "published" and alert.published_by_id == admin_user.id
    assert client.get("/staff/alerts").status_code == 200
    public = client.get(f"/alerts/{alert.public_id}")
    assert public.status_code == 200
    assert "style=" not in public.get_data(as_text=True)
    assert "<script>" not in public.get_data(as_text=True)


def test_unpublished_alert_is_not_public(
    app: Flask, client: FlaskClient, demo_no_alerts: None
) -> None:
    w = world()
    alert = alerts.create_alert(w["bill"], alert_input(), actor="test")
    db.session.commit()
    assert client.get(f"/alerts/{alert.public_id}").status_code == 404
    assert client.get(f"/api/v1/alerts/{alert.public_id}").status_code == 404
    assert client.get("/api/v1/alerts").get_json()["total"] == 0


def test_take_action_page_for_a_district(
    app: Flask, client: FlaskClient, demo_no_alerts: None
) -> None:
    w = world()
    alert = published_alert(w["bill"])
    target = alert.targets[0]
    page = client.get(f"/alerts/{alert.public_id}?district={target.district}")
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert target.person.name in text
    assert "mailto:" in text and "I called" in text
    # The Senate already passed the bill (a verified roll call): no one is asked to
    # vote again; they are thanked, or told we saw their vote.
    option = next(m.option for m in w["rc"].member_votes if m.person_id == target.person_id)
    assert f"The Senate already voted on {alert.bill.label}" in text
    assert f"district {target.district} to vote YES" not in text  # the script is not shown
    expected = (
        f"thank them for voting YES on {alert.bill.label}"
        if option == "yes"
        else f"tell them you saw their vote on {alert.bill.label}"
    )
    assert expected in text
    # Before the vote: the ask and the staff's script, with the Senate file named.
    w["rc"].verified = False
    db.session.commit()
    text = client.get(f"/alerts/{alert.public_id}?district={target.district}").get_data(
        as_text=True
    )
    assert f"district {target.district} to vote YES on {alert.bill.label}" in text
    assert f"to <strong>vote YES on {alert.bill.label}</strong>" in text
    assert client.get(f"/alerts/{alert.public_id}?district=99").status_code == 400
