"""Alerts to a committee and hearing alerts, and the staff's "this week" board.

On the demo legislature (``tracker.demo_hearings``: invented committees, a past hearing
of HF 11 whose verified committee roll call is in its "minutes", and upcoming hearings
dated from today, one moved and one cancelled)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from tests.conftest import csrf_token, make_user
from tests.test_mail import Handler, smtp, subscribe  # noqa: F401 - the smtp fixture
from tests.test_pressure import alert_input, committee_world
from tracker import alerts, asks, committees, demo, localtime
from tracker.extensions import db
from tracker.models import (
    Alert,
    AuditEvent,
    Bill,
    Committee,
    CommitteeMembership,
    Hearing,
    HearingBill,
    MemberVote,
    RollCall,
)


@pytest.fixture(autouse=True)
def _demo(demo_no_alerts: None) -> None:
    """Every test here starts from the demo legislature without its alert."""


def upcoming(chamber: str, *, moved: bool = False, cancelled: bool = False) -> Hearing:
    """One of the demo's upcoming hearings."""
    rows = db.session.scalars(
        select(Hearing)
        .where(
            Hearing.chamber == chamber,
            Hearing.date >= localtime.today(),
            Hearing.cancelled.is_(cancelled),
        )
        .order_by(Hearing.date)
    ).all()
    found = [h for h in rows if bool(h.changes) == moved or cancelled]
    assert found, (chamber, moved, cancelled)
    return found[0]


def hearing_alert(hearing: Hearing, **kw: Any) -> Alert:
    bill = next(b.bill for b in hearing.bills if b.bill is not None)
    return alerts.create_alert(
        bill,
        alert_input(
            title=f"{hearing.committee_name} hears {bill.label}",
            target="committee",
            ask="no",
            call_script="Please ask {legislator} to {position} on {bill}.",
            hearing_id=hearing.id,
            **kw,
        ),
        actor="test",
    )


def publish(alert: Alert) -> Alert:
    alerts.mark_reviewed(alert, expected_version=None, actor="test")
    alerts.publish_alert(alert, expected_version=None, actor="test")
    db.session.commit()
    return alert


# ---------------------------------------------------------------- from draft to follow-up


def test_a_committee_alert_from_draft_to_follow_up(app: Flask, smtp: Handler) -> None:  # noqa: F811
    """A hearing alert on the demo's past HF 11 hearing: the committee's members are the
    targets at publish; their constituents get the alert with the hearing; once the
    committee's roll call of that hearing is verified the scheduler links it, the
    follow-up tells each how their member voted, and the pressure report shows it."""
    c = committee_world()
    rc, committee, hearing = c["rc"], c["committee"], c["hearing"]
    rc.verified = False
    db.session.commit()
    alert = alerts.create_alert(
        c["bill"],
        alert_input(
            title="Working Families hears HF 11",
            target="committee",
            chamber="senate",
            hearing_id=hearing.id,
        ),
        actor="test",
    )
    # the committee comes from the hearing; nobody is targeted before publishing
    assert (alert.committee_id, alert.chamber, alert.committee) == (
        committee.id,
        "house",
        "Working Families",
    )
    assert alert.targets == []
    publish(alert)
    voters = c["voters"]
    assert sorted(t.person_id for t in alert.targets) == sorted(t.person_id for t in voters)
    chair, vice = voters[0], voters[1]
    inside = subscribe("member-a@example.org", chair.district, None)
    subscribe("member-b@example.org", vice.district, None)
    members = {t.district for t in voters}
    outside = next(
        t.district for t in alerts.seated("house", localtime.today()) if t.district not in members
    )
    subscribe("member-c@example.org", outside, None)
    smtp.received.clear()

    counts, result = alerts.run_mail_job()
    assert (counts["alert"], counts["linked"], result.sent) == (2, 0, 2)
    assert set(smtp.counts()) == {"member-a@example.org", "member-b@example.org"}
    body = smtp.parsed(inside.email)[0].get_content()
    when = localtime.day_and_clock(hearing.starts_at)
    assert (
        f"THE HEARING: the Working Families committee hears HF 11 on {when}, "
        f"{hearing.room}." in body
    )
    assert "to vote YES on HF 11 in the Working Families committee" in body
    assert "to vote YES in committee on HF 11" in body  # the call script's {position}

    # The minutes are read and the roll call verified: the scheduler links it.
    rc = db.session.get(RollCall, rc.id)
    rc.verified = True
    db.session.commit()
    counts, result = alerts.run_mail_job()
    assert (counts["linked"], counts["followup"], result.sent) == (1, 2, 2)
    db.session.expire_all()
    alert = db.session.get(Alert, alert.id)
    assert alert.roll_call_id == rc.id
    linked = db.session.scalars(
        select(AuditEvent).where(
            AuditEvent.entity_id == alert.public_id, AuditEvent.action == "alert.roll_call"
        )
    ).one()
    assert linked.actor == "scheduler" and linked.after == {"roll_call": rc.public_id}
    followup = smtp.parsed(inside.email)[1].get_content()
    option = db.session.scalar(
        select(MemberVote.option).where(
            MemberVote.roll_call_id == rc.id, MemberVote.person_id == chair.person_id
        )
    )
    assert option == "yes"
    assert f"{chair.person.name} voted YES: as we asked" in followup
    assert "the Working Families committee (House)" in followup

    report = alerts.pressure_report(alert)
    assert report.vote_status == "verified"
    votes = dict(
        db.session.execute(
            select(MemberVote.person_id, MemberVote.option).where(MemberVote.roll_call_id == rc.id)
        ).all()
    )
    assert {r.person.id: r.vote for r in report.rows} == votes
    assert report.totals["voted_as_asked"] == list(votes.values()).count("yes")
    assert report.totals["did_not_vote"] == list(votes.values()).count("not_voting") == 1
    page = app.test_client().get(f"/alerts/{alert.public_id}").get_data(as_text=True)
    assert "the Working Families committee (House, from its minutes)" in page
    assert "Did not vote" in page and "Not in office" not in page


def test_the_committee_roll_call_of_the_hearing_day(app: Flask) -> None:
    """Without a hearing id on the roll call, the committee's roll call on the bill on the
    hearing's day; never an amendment's; none when two could be it."""
    c = committee_world()
    rc, hearing = c["rc"], c["hearing"]
    alert = publish(hearing_alert(hearing))
    assert alerts.committee_roll_call(alert) == rc
    rc.hearing_id = None
    db.session.flush()
    assert alerts.committee_roll_call(alert) == rc
    amendment = RollCall(
        bill_id=rc.bill_id,
        chamber="house",
        date=rc.date,
        kind="committee",
        motion="Representative X moved the A1 amendment",
        amendment_id="A1",
        yeas=4,
        nays=2,
        verified=True,
        committee_id=rc.committee_id,
        hearing_id=hearing.id,
    )
    db.session.add(amendment)
    db.session.flush()
    assert alerts.committee_roll_call(alert) == rc
    other = RollCall(
        bill_id=rc.bill_id,
        chamber="house",
        date=rc.date,
        kind="committee",
        motion="Representative X moved that HF 11 be recommended to pass (again)",
        yeas=4,
        nays=2,
        verified=True,
        committee_id=rc.committee_id,
    )
    db.session.add(other)
    db.session.flush()
    assert alerts.committee_roll_call(alert) is None  # two: staff choose
    assert {r.id for r in alerts.roll_call_candidates(alert)} == {rc.id, amendment.id, other.id}
    floor = db.session.scalars(
        select(RollCall).where(RollCall.bill_id == rc.bill_id, RollCall.kind == "passage")
    ).one()
    with pytest.raises(alerts.PressureError, match="committee's on this bill"):
        alerts.link_roll_call(alert, floor, actor="test")


def test_the_ask_in_committee_and_after_its_vote(app: Flask) -> None:
    c = committee_world()
    chair = c["voters"][0]
    before = asks.ask_for(
        c["bill"],
        "yes",
        chair.person_id,
        "house",
        on=c["rc"].date - dt.timedelta(days=1),
        committee=c["committee"],
    )
    assert not before.voted and before.text == "vote YES on HF 11 in the Working Families committee"
    after = asks.ask_for(c["bill"], "yes", chair.person_id, "house", committee=c["committee"])
    assert after.voted and after.vote == c["rc"]
    assert after.text == (
        "thank them for voting YES on HF 11 in the Working Families "
        f"committee on {localtime.day(c['rc'].date)}"
    )
    against = asks.ask_for(c["bill"], "no", chair.person_id, "house", committee=c["committee"])
    assert against.text.endswith("and ask them to vote NO when it reaches the floor")
    floor = asks.ask_for(c["bill"], "yes", chair.person_id, "house")
    assert floor.vote is not None and floor.vote.kind == "passage"  # the floor's own rule


def test_the_score_effect_for_someone_not_on_the_committee(app: Flask) -> None:
    c = committee_world()
    alert = publish(hearing_alert(c["hearing"]))
    alerts.link_roll_call(alert, c["rc"], actor="test")
    outsider = next(
        t.person
        for t in alerts.seated("house", localtime.today())
        if t.person_id not in {v.person_id for v in c["voters"]}
    )
    effect = alerts.score_effect(alert, outsider, None)
    assert "was not on the Working Families committee that day" in effect
    assert "does not count for or against them" in effect


# ---------------------------------------------------------------- refusals


def test_what_a_committee_or_hearing_alert_refuses(app: Flask) -> None:
    c = committee_world()
    hearing = c["hearing"]
    with pytest.raises(alerts.PressureError, match="Choose the committee"):
        alerts.create_alert(c["bill"], alert_input(target="committee"), actor="t")
    with pytest.raises(alerts.PressureError, match='choose "Committee members"'):
        alerts.create_alert(c["bill"], alert_input(hearing_id=hearing.id), actor="t")
    other = db.session.scalars(
        select(Committee).where(
            Committee.id != c["committee"].id, Committee.session_id == c["committee"].session_id
        )
    ).first()
    with pytest.raises(alerts.PressureError, match="is of the Working Families committee"):
        alerts.create_alert(
            c["bill"],
            alert_input(target="committee", committee_id=other.id, hearing_id=hearing.id),
            actor="t",
        )
    unlisted = db.session.scalars(
        select(Bill).where(
            Bill.session_id == c["bill"].session_id,
            Bill.id != c["bill"].id,
            Bill.id != c["bill"].companion_id,
        )
    ).first()
    with pytest.raises(alerts.PressureError, match="does not list"):
        alerts.create_alert(
            unlisted, alert_input(target="committee", hearing_id=hearing.id), actor="t"
        )
    # the companion's hearing is the bill's too
    companion = db.session.get(Bill, c["bill"].companion_id)
    assert (
        alerts.create_alert(
            companion, alert_input(target="committee", hearing_id=hearing.id), actor="t"
        ).committee_id
        == c["committee"].id
    )
    # a cancelled hearing cannot be published
    cancelled = upcoming("senate", cancelled=True)
    alert = hearing_alert(cancelled)
    alerts.mark_reviewed(alert, expected_version=None, actor="t")
    with pytest.raises(alerts.PressureError, match="is cancelled"):
        alerts.publish_alert(alert, expected_version=None, actor="t")
    # a committee with no seated member today has no one to call
    empty = Committee(
        session_id=c["committee"].session_id,
        chamber="house",
        name="Invented Empty Panel",
        source_ids=[],
        other_names=[],
        sources=["demo"],
    )
    db.session.add(empty)
    db.session.flush()
    alert = alerts.create_alert(
        c["bill"], alert_input(target="committee", committee_id=empty.id), actor="t"
    )
    alerts.mark_reviewed(alert, expected_version=None, actor="t")
    with pytest.raises(alerts.PressureError, match="No member of the Invented Empty Panel"):
        alerts.publish_alert(alert, expected_version=None, actor="t")


def test_a_member_who_left_is_not_targeted(app: Flask) -> None:
    """The membership rule and the seat rule decide: a member whose span ended before
    today is not targeted."""
    c = committee_world()
    gone = db.session.scalars(
        select(CommitteeMembership).where(
            CommitteeMembership.committee_id == c["committee"].id,
            CommitteeMembership.role == "member",
        )
    ).first()
    gone.member_until, gone.member_until_source = (
        localtime.today() - dt.timedelta(days=1),
        "demo",
    )
    db.session.flush()
    alert = publish(
        alerts.create_alert(
            c["bill"], alert_input(target="committee", committee_id=c["committee"].id), actor="t"
        )
    )
    targeted = {t.person_id for t in alert.targets}
    assert gone.person_id not in targeted and len(targeted) == len(c["voters"]) - 1


# ---------------------------------------------------------------- the hearing alert's page


def test_a_hearing_alert_page(client: FlaskClient) -> None:
    hearing = upcoming("senate", moved=True)
    alert = publish(hearing_alert(hearing))
    page = client.get(f"/alerts/{alert.public_id}").get_data(as_text=True)
    when = localtime.day_and_clock(hearing.starts_at)
    block = page[page.index('id="hearing"') :]
    block = block[: block.index("</section>")]
    assert when in block and hearing.room in block and ">moved<" in block
    assert "Senate Fair Elections committee" in block
    for ask in (
        "<strong>Attend.</strong>",
        "<strong>Testify.</strong>",
        "<strong>Call the members.</strong>",
    ):
        assert ask in block
    assert "vote NO in committee" in block
    members = page[page.index('id="members-heading"') :]
    members = members[: members.index("</section>")]
    chair = alert.targets and committees.memberships_on(alert.committee_id, hearing.date)[0]
    assert f'{chair.person.name}</a> <span class="muted">(Chair,' in members
    assert len(re.findall(r"<li>", members)) == len(alert.targets)
    # a member's call script (any member may be called, whatever the district)
    one = client.get(f"/alerts/{alert.public_id}?person={chair.person.public_id}").get_data(
        as_text=True
    )
    assert "vote NO on SF 63 in the Fair Elections committee" in one
    assert "to vote NO in committee on SF 63" in one
    # someone whose senator is not on the committee
    members_districts = {t.district for t in alert.targets}
    outside = next(
        t.district
        for t in alerts.seated("senate", localtime.today())
        if t.district not in members_districts
    )
    theirs = client.get(f"/alerts/{alert.public_id}?district={outside}A").get_data(as_text=True)
    assert "is not on the Fair Elections committee" in theirs


def test_a_cancelled_hearing_shows_on_the_alert(client: FlaskClient) -> None:
    hearing = upcoming("house")
    alert = publish(hearing_alert(hearing))
    hearing.cancelled = True
    db.session.commit()
    page = client.get(f"/alerts/{alert.public_id}").get_data(as_text=True)
    block = page[page.index('id="hearing"') :]
    assert "cancelled" in block and "The hearing is cancelled" in block
    assert "<strong>Attend.</strong>" not in block


# ---------------------------------------------------------------- staff pages


def test_the_this_week_board(client: FlaskClient, auth: Any) -> None:
    make_user()
    today = localtime.today()
    week = db.session.scalars(
        select(Hearing)
        .where(Hearing.date >= today, Hearing.date < today + dt.timedelta(days=7))
        .order_by(Hearing.date)
    ).all()
    later = db.session.scalars(
        select(Hearing).where(Hearing.date >= today + dt.timedelta(days=7))
    ).all()
    assert len(week) == 4 and later  # tracker.demo_hearings
    assert client.get("/staff/this-week").status_code == 302  # signed in only
    auth.login()
    page = client.get("/staff/this-week").get_data(as_text=True)
    shown = re.findall(r'id="hearing-([0-9a-f-]{36})"', page)
    assert shown == [h.public_id for h in week]  # in date order, only this week's
    cancelled = next(h for h in week if h.cancelled)
    card = page[page.index(f'id="hearing-{cancelled.public_id}"') :]
    card = card[: card.index('class="card hearing"')]  # up to the next card
    assert "cancelled" in card and "Draft a hearing alert" not in card
    drafts = re.findall(r'href="/staff/alerts/new\?hearing=([0-9a-f-]{36})&amp;bill=', page)
    assert drafts == [h.public_id for h in week if not h.cancelled]
    dashboard = client.get("/staff/").get_data(as_text=True)
    assert "/staff/this-week" in dashboard and "4 hearing(s) this week" in dashboard


def test_one_click_drafts_a_hearing_alert(client: FlaskClient, auth: Any) -> None:
    make_user()
    auth.login()
    hearing = upcoming("senate", moved=True)
    bill = next(b.bill for b in hearing.bills if b.bill is not None)
    form = client.get(f"/staff/alerts/new?hearing={hearing.public_id}&bill={bill.key}")
    html = form.get_data(as_text=True)
    assert form.status_code == 200
    assert f'<option value="{hearing.public_id}" selected>' in html
    assert f'<option value="{hearing.committee.public_id}" selected>' in html
    assert '<option value="committee" selected>' in html
    assert '<option value="no" selected>' in html  # the demo opposes SF 63
    assert f'value="{bill.key}"' in html
    local = localtime.local(hearing.starts_at).strftime("%Y-%m-%dT%H:%M")
    assert f'value="{local}"' in html  # the hearing's time is the deadline
    assert "The Fair Elections committee hears {bill} on" in html
    token = csrf_token(client, "/staff/alerts/new")
    values = dict(re.findall(r'name="(title|email_subject)"[^>]*value="([^"]*)"', html))
    response = client.post(
        "/staff/alerts/new",
        data={
            "csrf_token": token,
            "session": bill.session.identifier,
            "bill": bill.key,
            "title": values["title"].replace("&#39;", "'"),
            "target": "committee",
            "chamber": "senate",
            "ask": "no",
            "committee": hearing.committee.public_id,
            "hearing": hearing.public_id,
            "call_script": "Ask {legislator} to {position}.",
            "email_subject": "{bill}",
            "email_template": "Dear {legislator}, {position}.",
            "summary": "",
            "deadline": local,
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    alert = db.session.scalars(select(Alert)).one()
    assert (alert.hearing_id, alert.committee_id, alert.target) == (
        hearing.id,
        hearing.committee_id,
        "committee",
    )
    detail = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "hearing alert" in detail and "Targeted when published" in detail
    board = client.get("/staff/this-week").get_data(as_text=True)
    assert f"/staff/alerts/{alert.public_id}" in board  # the board lists the draft
    # a refusal keeps what was typed and says why
    bad = client.post(
        "/staff/alerts/new",
        data={
            "csrf_token": token,
            "session": bill.session.identifier,
            "bill": bill.key,
            "title": "Wrong target",
            "target": "floor",
            "chamber": "senate",
            "ask": "no",
            "committee": "",
            "hearing": hearing.public_id,
            "call_script": "Hi {legislator}.",
            "email_subject": "",
            "email_template": "Dear {legislator}.",
            "summary": "",
            "deadline": "",
        },
    )
    # a floor alert ignores the hearing field: it is a committee alert's
    assert bad.status_code == 302
    unknown = client.get("/staff/alerts/new?hearing=no-such-hearing")
    assert unknown.status_code == 404


# ---------------------------------------------------------------- the demo


def test_the_demo_committees_and_their_removal(app: Flask) -> None:
    counts = {
        m.__name__: db.session.scalar(select(func.count()).select_from(m))
        for m in (Committee, CommitteeMembership, Hearing, HearingBill)
    }
    assert counts == {"Committee": 12, "CommitteeMembership": 72, "Hearing": 7, "HearingBill": 7}
    committee_votes = db.session.scalars(select(RollCall).where(RollCall.kind == "committee")).all()
    assert len(committee_votes) == 1 and committee_votes[0].verified
    assert committee_votes[0].outcome == "prevailed"
    plan = demo.removal_plan().counts()
    assert (plan["committees"], plan["committee_memberships"], plan["hearings"]) == (12, 72, 7)
    listing = "\n".join(demo.removal_plan().lines())
    assert "committee hearings of demo sessions" in listing
    demo.remove_demo()
    for model in (Committee, CommitteeMembership, Hearing, HearingBill):
        assert db.session.scalar(select(func.count()).select_from(model)) == 0, model
