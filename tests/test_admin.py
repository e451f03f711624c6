from __future__ import annotations

import re

from flask.testing import FlaskClient

from tests.conftest import AuthActions, csrf_token, make_user
from tracker.extensions import db
from tracker.models import AuditEvent, User


def login_admin(auth: AuthActions, admin: User) -> None:
    assert auth.login(admin.email).status_code == 302


def test_admin_adds_user_who_sets_own_password(
    client: FlaskClient, auth: AuthActions, admin_user: User
) -> None:
    login_admin(auth, admin_user)
    token = csrf_token(client, "/admin/users")
    page = client.post(
        "/admin/users",
        data={"email": "New.Person@Example.org", "role": "staff", "csrf_token": token},
    )
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Added new.person@example.org" in html
    link = re.search(r'value="(http://localhost/auth/reset/[^"]+)"', html).group(1)
    user = db.session.query(User).filter_by(email="new.person@example.org").one()
    assert user.role == "staff" and user.active
    auth.logout()
    path = link.removeprefix("http://localhost")
    client.post(
        path,
        data={
            "password": "my own passphrase",
            "confirm": "my own passphrase",
            "csrf_token": csrf_token(client, path),
        },
    )
    assert auth.login("new.person@example.org", "my own passphrase").status_code == 302


def test_duplicate_or_invalid_email_is_refused(
    client: FlaskClient, auth: AuthActions, admin_user: User
) -> None:
    login_admin(auth, admin_user)
    for email, message in [
        ("admin@example.org", "already exists"),
        ("not-an-email", "not a valid email"),
    ]:
        token = csrf_token(client, "/admin/users")
        html = client.post(
            "/admin/users", data={"email": email, "role": "staff", "csrf_token": token}
        ).get_data(as_text=True)
        assert message in html
    assert db.session.query(User).count() == 1


def test_role_change_and_deactivation_are_audited(
    client: FlaskClient, auth: AuthActions, admin_user: User
) -> None:
    other = make_user("other@example.org", "staff")
    login_admin(auth, admin_user)
    token = csrf_token(client, "/admin/users")
    client.post(f"/admin/users/{other.id}/role", data={"role": "admin", "csrf_token": token})
    client.post(f"/admin/users/{other.id}/active", data={"active": "0", "csrf_token": token})
    db.session.expire_all()
    other = db.session.get(User, other.id)
    assert other.role == "admin" and not other.active
    events = db.session.query(AuditEvent).filter_by(
        entity_type="user_account", entity_id=str(other.id)
    )
    summary = [(e.action, e.actor, e.before, e.after) for e in events.order_by(AuditEvent.id)]
    assert summary[-2:] == [
        ("user.set_role", "admin@example.org", {"role": "staff"}, {"role": "admin"}),
        ("user.deactivate", "admin@example.org", {"active": True}, {"active": False}),
    ]
    audit_page = client.get("/admin/audit").get_data(as_text=True)
    assert "user.deactivate" in audit_page and "user.set_role" in audit_page


def test_last_admin_cannot_be_demoted_or_deactivate_self(
    client: FlaskClient, auth: AuthActions, admin_user: User
) -> None:
    login_admin(auth, admin_user)
    token = csrf_token(client, "/admin/users")
    html = client.post(
        f"/admin/users/{admin_user.id}/role",
        data={"role": "staff", "csrf_token": token},
        follow_redirects=True,
    ).get_data(as_text=True)
    assert "last active admin" in html
    html = client.post(
        f"/admin/users/{admin_user.id}/active",
        data={"active": "0", "csrf_token": token},
        follow_redirects=True,
    ).get_data(as_text=True)
    assert "cannot deactivate your own account" in html
    db.session.expire_all()
    admin = db.session.get(User, admin_user.id)
    assert admin.role == "admin" and admin.active


def test_admin_issues_reset_link(
    client: FlaskClient,
    auth: AuthActions,
    admin_user: User,
) -> None:
    other = make_user("other@example.org", "staff")
    login_admin(auth, admin_user)
    token = csrf_token(client, "/admin/users")
    html = client.post(f"/admin/users/{other.id}/reset-link", data={"csrf_token": token}).get_data(
        as_text=True
    )
    assert "Reset link for other@example.org" in html
    assert re.search(r'value="http://localhost/auth/reset/[^"]+"', html)


def test_unknown_user_and_bad_values(
    client: FlaskClient, auth: AuthActions, admin_user: User
) -> None:
    login_admin(auth, admin_user)
    token = csrf_token(client, "/admin/users")
    assert (
        client.post(
            "/admin/users/99999/role", data={"role": "admin", "csrf_token": token}
        ).status_code
        == 404
    )
    assert (
        client.post(
            f"/admin/users/{admin_user.id}/role", data={"role": "emperor", "csrf_token": token}
        ).status_code
        == 400
    )
    assert (
        client.post(
            f"/admin/users/{admin_user.id}/active", data={"active": "perhaps", "csrf_token": token}
        ).status_code
        == 400
    )
    assert client.get("/admin/users/abc/role").status_code == 404


def test_admin_forms_need_csrf(client: FlaskClient, auth: AuthActions, admin_user: User) -> None:
    other = make_user("other@example.org", "staff")
    login_admin(auth, admin_user)
    assert client.post(f"/admin/users/{other.id}/role", data={"role": "admin"}).status_code == 400
    db.session.expire_all()
    assert db.session.get(User, other.id).role == "staff"


def test_admin_sets_a_new_sessions_house_key(
    client: FlaskClient, auth: AuthActions, admin_user: User
) -> None:
    from tracker.models import LegislativeSession

    row = LegislativeSession(
        identifier="2027-2028",
        revisor_code="0952027",
        name="2027-2028 Regular Session",
        legislature=95,
        year=2027,
    )
    db.session.add(row)
    db.session.commit()
    login_admin(auth, admin_user)
    token = csrf_token(client, "/admin/sessions")
    path = "/admin/sessions/2027-2028/house-key"
    html = client.post(
        path, data={"house_vote_key": "30x", "csrf_token": token}, follow_redirects=True
    ).get_data(as_text=True)
    assert "the House SessionKey is a number" in html
    html = client.post(
        path, data={"house_vote_key": "306", "csrf_token": token}, follow_redirects=True
    ).get_data(as_text=True)
    assert "House vote key set to 306" in html
    db.session.expire_all()
    assert db.session.get(LegislativeSession, row.id).house_vote_key == "306"
    event = db.session.query(AuditEvent).filter_by(action="session.set_house_key").one()
    assert (event.actor, event.before, event.after) == (
        "admin@example.org",
        {"house_vote_key": None},
        {"house_vote_key": "306"},
    )
    assert (
        client.post(
            "/admin/sessions/1999-2000/house-key", data={"house_vote_key": "1", "csrf_token": token}
        ).status_code
        == 404
    )
    assert client.post(path, data={"house_vote_key": "307"}).status_code == 400


def test_audit_log_reads_in_words(
    client: FlaskClient, auth: AuthActions, admin_user: User, demo_full: None
) -> None:
    from sqlalchemy import select

    from tracker import audit, scorecards
    from tracker.models import Alert, Bill, LegislativeSession, NameMapping, Person

    session = db.session.scalar(
        select(LegislativeSession).where(LegislativeSession.identifier == "2025-2026")
    )
    bill = db.session.scalar(
        select(Bill).where(Bill.session_id == session.id, Bill.bill_type == "HF", Bill.number == 11)
    )
    scorecards.set_position(
        bill,
        "support",
        "Crème brûlée for every café.",
        ["housing"],
        expected_version=None,
        actor=admin_user,
    )
    first = db.session.scalar(select(Person).where(Person.name == "Jory Amberwick"))
    second = db.session.scalar(select(Person).where(Person.name == "Elowen Østergaardt"))
    mapping = NameMapping(chamber="senate", printed_name="Østergaardt", person_id=second.id)
    db.session.add(mapping)
    db.session.flush()
    # Hand-built events in the shapes tracker.votes.staff and tracker.alerts.lifecycle
    # record: a person by row id before and by public id after; alert targets by row id.
    audit.record(
        admin_user,
        "name_mapping.save",
        mapping,
        before={"person": first.id},
        after={
            "chamber": "senate",
            "printed_name": "Østergaardt",
            "session_id": session.id,
            "person": second.public_id,
            "person_name": second.name,
        },
    )
    alert = db.session.scalars(select(Alert)).first()
    audit.record(
        admin_user,
        "alert.update",
        alert,
        before={"targets": [first.id], "deadline": "2026-03-03T15:00:00+00:00"},
        after={"targets": [first.id, second.id], "deadline": "2026-03-04T15:00:00+00:00"},
    )
    db.session.commit()
    login_admin(auth, admin_user)
    html = client.get("/admin/audit").get_data(as_text=True)
    assert "\\u00" not in html and "&#34;" not in html and "person #" not in html
    assert (
        'Edited the draft position · <a href="/staff/bills/2025-2026/HF11">HF 11 (2025-2026)</a>'
    ) in html
    assert re.search(
        r"<strong>rationale</strong>: Invented demo rationale[^<]* → Crème brûlée "
        r"for every café\.</li>",
        html,
    )
    assert "Mapped a printed name to a legislator · “Østergaardt” (Senate)" in html
    assert "<strong>legislator</strong>: Jory Amberwick → Elowen Østergaardt" in html
    assert "<strong>session</strong>: — → 2025-2026 Regular Session (demo)" in html
    assert (
        f'Edited the alert · <a href="/staff/alerts/{alert.public_id}">{alert.title}</a>'
    ) in html
    assert (
        "<strong>committee members asked</strong>: Jory Amberwick → Jory Amberwick, "
        "Elowen Østergaardt"
    ) in html
    assert "<strong>deadline</strong>: 2026-03-03 9:00 a.m. CST → 2026-03-04 9:00 a.m. CST" in html
    assert f"· {admin_user.email} ·" in html


def test_audit_log_filters_by_action_and_pages(
    client: FlaskClient, auth: AuthActions, admin_user: User
) -> None:
    from tracker import accounts

    for n in range(55):
        accounts.create_user(f"person{n}@example.org", "staff", None, actor=admin_user)
    other = db.session.query(User).filter_by(email="person0@example.org").one()
    accounts.set_role(other, "admin", actor=admin_user)
    db.session.commit()
    login_admin(auth, admin_user)
    html = client.get("/admin/audit?action=user.create").get_data(as_text=True)
    created = db.session.query(AuditEvent).filter_by(action="user.create").count()
    assert created == 56  # the admin of the fixture, and 55
    assert "56 events of this kind; page 1 of 2." in html
    assert html.count("Added the account · ") == 50 and "Changed the role · " not in html
    assert '<option value="user.create" selected>Added the account (user.create)</option>' in html
    assert 'href="/admin/audit?page=2&amp;action=user.create">Older</a>' in html
    html = client.get("/admin/audit?page=2&action=user.create").get_data(as_text=True)
    assert html.count("Added the account · ") == 6
    html = client.get("/admin/audit?action=user.set_role").get_data(as_text=True)
    assert html.count("Changed the role · person0@example.org") == 1
    assert "<strong>role</strong>: staff → admin" in html
    assert "Nothing of this kind has been done yet." in client.get(
        "/admin/audit?action=no.such"
    ).get_data(as_text=True)
